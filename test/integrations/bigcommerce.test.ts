// The BigCommerce Scripts API payload (integrations/bigcommerce/script.mjs) against the API's
// documented request schema (bigcommerce-scripts.schema.json), and what its `html` must be.
import Ajv from 'ajv';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the integration, without types.
import { bigcommerceScript } from '../../integrations/bigcommerce/script.mjs';

const schema = JSON.parse(readFileSync(new URL('./bigcommerce-scripts.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('BigCommerce Scripts API payload', () => {
  it('is valid for the documented schema: an inline script tag in the head, analytics consent', () => {
    const payload = bigcommerceScript({ companyId: 'AbC123' });
    expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
    expect(payload).toMatchObject({ kind: 'script_tag', load_method: 'default', location: 'head', consent_category: 'analytics' });
  });

  it('its html is exactly one script element: the built stub loading klite.js with the options', () => {
    const { html } = bigcommerceScript({ companyId: 'AbC123', consent: 'pending', src: 'https://cdn.example.org/klite.js' });
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/^<script>[\s\S]*<\/script>$/);
    expect(html).toContain('"https://cdn.example.org/klite.js?company_id=AbC123&consent=pending"');
    const stub = readFileSync(new URL('../../dist/stub.min.js', import.meta.url), 'utf8');
    expect(html).toContain(stub.slice(0, 60));
  });

  it('refuses a private key, and a schema check would catch a wrong field', () => {
    expect(() => bigcommerceScript({ companyId: 'pk_live_1' })).toThrow(/private API key/);
    expect(validate({ ...bigcommerceScript({ companyId: 'AbC123' }), load_method: 'async' })).toBe(false);
    expect(validate({ ...bigcommerceScript({ companyId: 'AbC123' }), consent: 'analytics' })).toBe(false);
  });

  it('prints the payload as JSON from the command line', () => {
    const run = spawnSync(process.execPath, [
      new URL('../../integrations/bigcommerce/script.mjs', import.meta.url).pathname,
      '--company-id',
      'AbC123',
    ]);
    expect(run.status).toBe(0);
    expect(validate(JSON.parse(String(run.stdout)))).toBe(true);
  });
});
