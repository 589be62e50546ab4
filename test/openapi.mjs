// Validates request bodies against Klaviyo's own OpenAPI documents (../shared/klaviyo-openapi,
// or KLAVIYO_OPENAPI_DIR). Used by the unit tests and after every e2e test: a body klite sends
// that does not conform fails the suite.
//
// Stricter than the documents in one way: objects that list their properties get
// `additionalProperties: false`, so a misspelt attribute (`uniqueId`) fails instead of being
// silently ignored by Klaviyo. Free-form objects (event `properties`, patch operations) stay open.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const beside = (dir) => join(dir, '..', 'shared', 'klaviyo-openapi');
/**
 * A fresh clone made elsewhere (`git clone . /tmp/klite-ci`, as CI is tried by hand) has no
 * ../shared: then the documents beside the repository it was cloned from, when that is a local path.
 */
const origin = () => {
  try {
    const url = execFileSync('git', ['-C', repo, 'config', 'remote.origin.url'], { encoding: 'utf8' }).trim();
    return url.startsWith('/') ? beside(url) : undefined;
  } catch {
    return undefined;
  }
};
export const OPENAPI_DIR = resolve(process.env.KLAVIYO_OPENAPI_DIR || (existsSync(beside(repo)) ? beside(repo) : origin() || beside(repo)));

/** OpenAPI 3.0 schema → JSON Schema: `nullable`, and closed objects where properties are listed. */
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'description' || k === 'nullable') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s)])) : convert(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (node.nullable) {
    if (out.type) out.type = [].concat(out.type, 'null');
    else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let cache;
/** { '/client/events': validate, ... } from every document in the folder. */
export function validators() {
  if (cache) return cache;
  if (!existsSync(OPENAPI_DIR)) throw new Error(`Klaviyo's OpenAPI documents are missing at ${OPENAPI_DIR} (set KLAVIYO_OPENAPI_DIR)`);
  cache = {};
  for (const file of readdirSync(OPENAPI_DIR).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(OPENAPI_DIR, file), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: { schemas: convert(doc.components?.schemas || {}) } });
    for (const [path, ops] of Object.entries(doc.paths || {})) {
      const schema = ops.post?.requestBody?.content?.['application/vnd.api+json']?.schema;
      if (!schema) continue;
      const ref = schema.$ref.replace('#/', 'doc#/');
      cache[path.replace(/\/$/, '')] = ajv.compile({ $ref: ref });
    }
  }
  return cache;
}

/** Returns null when `body` (object or JSON text) conforms to the schema of `path`, else a description of what does not. */
export function conformance(path, body) {
  const validate = validators()[path.replace(/\/$/, '')];
  if (!validate) return `no schema for ${path}`;
  const value = typeof body === 'string' ? JSON.parse(body) : body;
  return validate(value)
    ? null
    : `${path}: ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`).join('; ')}`;
}
