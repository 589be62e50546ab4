// The Google Tag Manager template (integrations/gtm/template.tpl): its file format, the gallery's
// repository files, and its sandboxed code run as GTM runs it (gtm-sandbox.mjs: the documented
// APIs, each checking the template's declared permissions), its own ___TESTS___ included.
import Ajv from 'ajv';
// @ts-expect-error: js-yaml is installed without its types.
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdnUrl, snippet } from '../../src/cli/snippet';
import {
  createApis,
  dataFor,
  fire,
  nodeEnv,
  parseTemplate,
  runSandboxed,
  runTemplateTests,
  sandboxProblems,
  sections,
  // @ts-expect-error: a plain ES module shared with the e2e test, without types.
} from './gtm-sandbox.mjs';

const read = (path: string) => readFileSync(new URL('../../' + path, import.meta.url), 'utf8');
const text = read('integrations/gtm/template.tpl');
const template = parseTemplate(text);
const { version } = JSON.parse(read('package.json'));
const KEY = 'AbC123';
const CDN = cdnUrl(version);

/** The script URL `npx klite snippet` prints for the same options: the template must load the same one. */
const snippetUrl = (o: Parameters<typeof snippet>[0]) =>
  JSON.parse(snippet(o, read('dist/stub.min.js'), version, false).match(/"https:[^"]+"/)![0]) as string;

const ajv = new Ajv({ allErrors: true, strict: false });
const infoSchema = {
  type: 'object',
  required: ['type', 'id', 'version', 'securityGroups', 'displayName', 'description', 'brand', 'containerContexts', 'categories'],
  properties: {
    type: { const: 'TAG' },
    id: { const: 'cvt_temp_public_id' },
    version: { const: 1 },
    securityGroups: { type: 'array' },
    displayName: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1, maxLength: 300 },
    brand: { type: 'object', required: ['id', 'displayName'] },
    containerContexts: { const: ['WEB'] },
    categories: { type: 'array', items: { enum: ['ANALYTICS', 'EMAIL_MARKETING', 'MARKETING', 'PERSONALIZATION', 'UTILITY'] } },
  },
};
const validator = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['NON_EMPTY', 'REGEX', 'POSITIVE_NUMBER'] }, args: { type: 'array' } },
};
const field = {
  type: 'object',
  required: ['type', 'name'],
  properties: {
    type: { enum: ['TEXT', 'SELECT', 'CHECKBOX', 'SIMPLE_TABLE', 'GROUP', 'RADIO', 'LABEL'] },
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    valueValidators: { type: 'array', items: validator },
    enablingConditions: { type: 'array', items: { type: 'object', required: ['paramName', 'paramValue', 'type'] } },
  },
  allOf: [
    { if: { properties: { type: { const: 'SELECT' } } }, then: { required: ['selectItems', 'displayName'] } },
    { if: { properties: { type: { const: 'CHECKBOX' } } }, then: { required: ['checkboxText'] } },
    { if: { properties: { type: { const: 'TEXT' } } }, then: { required: ['displayName'] } },
    { if: { properties: { type: { const: 'GROUP' } } }, then: { required: ['subParams', 'displayName'] } },
    { if: { properties: { type: { const: 'SIMPLE_TABLE' } } }, then: { required: ['simpleTableColumns'] } },
  ],
};

/** Every field of the parameters, groups' fields included. */
const fields = (list: any[]): any[] => list.flatMap((p) => [p, ...fields(p.subParams || [])]);

describe('GTM template: the files the gallery takes', () => {
  it('template.tpl has the sections of an exported web tag template, in order', () => {
    const names = [...text.matchAll(/^___([A-Z_]+)___$/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'TERMS_OF_SERVICE',
      'INFO',
      'TEMPLATE_PARAMETERS',
      'SANDBOXED_JS_FOR_WEB_TEMPLATE',
      'WEB_PERMISSIONS',
      'TESTS',
      'NOTES',
    ]);
    expect(sections(text).SANDBOXED_JS_FOR_WEB_TEMPLATE).toContain("require('injectScript')");
  });

  it('___INFO___ and ___TEMPLATE_PARAMETERS___ are JSON of the documented shape', () => {
    expect(ajv.validate(infoSchema, template.info), JSON.stringify(ajv.errors)).toBe(true);
    const all = fields(template.parameters);
    for (const p of all) expect(ajv.validate(field, p), `${p.name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    const names = all.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    // A condition names a field that exists, with one of its values.
    for (const c of all.flatMap((p) => p.enablingConditions || [])) {
      const target = all.find((p) => p.name == c.paramName);
      expect(target?.selectItems.map((i: any) => i.value)).toContain(c.paramValue);
    }
    for (const v of all.flatMap((p) => p.valueValidators || []).filter((v) => v.type == 'REGEX'))
      expect(() => new RegExp(v.args[0])).not.toThrow();
  });

  it("has klite's defaults: consent granted, every capture on, this version on jsDelivr", () => {
    const data = dataFor(template.parameters);
    expect(data).toMatchObject({ tagType: 'load', consent: 'granted', scriptUrl: CDN });
    for (const kind of ['activity', 'product', 'cart', 'checkout', 'forms']) expect(data['capture_' + kind]).toBe(true);
    expect(template.code).toContain(`var DEFAULT_SRC = '${CDN}';`);
    expect(template.permissions.inject_script.some((p: string) => p == 'https://cdn.jsdelivr.net/npm/klite@*')).toBe(true);
  });

  it('metadata.yaml has the fields the gallery reads; LICENSE is Apache 2.0; the README links the Options', () => {
    const meta = yaml.load(read('integrations/gtm/metadata.yaml')) as any;
    expect(meta.homepage).toMatch(/^https:\/\//);
    expect(meta.documentation).toMatch(/^https:\/\//);
    expect(meta.versions.length).toBeGreaterThan(0);
    for (const v of meta.versions) {
      expect(v.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(v.changeNotes).toEqual(expect.any(String));
    }
    expect(read('integrations/gtm/LICENSE')).toMatch(/Apache License\s+Version 2\.0/);
    expect(read('integrations/gtm/README.md')).toContain('../../README.md#options');
  });
});

describe('GTM template: the sandboxed code', () => {
  it("is sandboxed JavaScript: ES5.1, only require()d APIs, none of the page's globals", () => {
    expect(sandboxProblems(template.code)).toEqual([]);
    // The check itself: each of these is refused.
    expect(sandboxProblems('var x = window.location;')).toEqual([expect.stringContaining('global `window`')]);
    expect(sandboxProblems('document.title = 1;')).toEqual([expect.stringContaining('global `document`')]);
    expect(sandboxProblems('var d = new Date();')).toEqual(expect.arrayContaining([expect.stringContaining('`new`')]));
    expect(sandboxProblems('var r = /a/.test("a");')).toEqual([expect.stringContaining('regular expression')]);
    expect(sandboxProblems("require('sendPixel');")).toEqual([expect.stringContaining('not an offered API')]);
    expect(sandboxProblems('var f = (x) => x;')).toEqual([expect.stringContaining('does not parse as ES5.1')]);
  });

  it('load: injects exactly the URL the snippet would, and succeeds once the script loads', () => {
    const run = fire(template, { companyId: KEY });
    expect(run.env.scripts.map((s: any) => s.url)).toEqual([`${CDN}?company_id=${KEY}`]);
    expect(run.env.scripts[0].url).toBe(snippetUrl({ companyId: KEY }));
    expect([run.success, run.failure]).toEqual([0, 0]);
    run.env.scripts[0].load();
    expect([run.success, run.failure, run.error]).toEqual([1, 0, undefined]);

    const options = { consent: 'pending', endpoint: 'https://kl.example.com/x', capture_cart: false, capture_forms: false };
    const full = fire(template, { companyId: KEY, ...options, scriptUrl: 'https://cdn.jsdelivr.net/npm/klite@9.9.9/dist/klite.js' });
    expect(full.env.scripts[0].url).toBe(
      snippetUrl({
        companyId: KEY,
        consent: 'pending',
        endpoint: 'https://kl.example.com/x',
        noCapture: 'cart,forms',
        src: 'https://cdn.jsdelivr.net/npm/klite@9.9.9/dist/klite.js',
      }),
    );
  });

  it("load: the script's failure fails the tag, once", () => {
    const run = fire(template, { companyId: KEY });
    run.env.scripts[0].error();
    expect([run.success, run.failure]).toEqual([0, 1]);
  });

  it('refuses a private or malformed key: one console line, gtmOnFailure, nothing injected or queued', () => {
    for (const companyId of ['pk_live_0123456789abcdef', 'PK_abcdef', 'AbC12', 'AbC-12', undefined]) {
      const run = fire(template, { companyId, tagType: 'track', eventName: 'Signed Up' });
      expect(run.env.scripts).toEqual([]);
      expect(run.env.window).toEqual({});
      expect(run.env.logs).toHaveLength(1);
      expect(run.env.logs[0]).toMatch(/^klite: .*Nothing was loaded or sent\.$/);
      expect([run.success, run.failure, run.error]).toEqual([0, 1, undefined]);
    }
    expect(fire(template, { companyId: 'pk_live_0123456789abcdef' }).env.logs[0]).not.toContain('0123456789abcdef');
  });

  it('track: queues identify and the event with its mapped properties on _learnq, before klite has loaded', () => {
    const env = nodeEnv();
    const load = fire(template, { companyId: KEY }, { env });
    const track = fire(
      template,
      {
        companyId: KEY,
        tagType: 'track',
        eventName: 'Viewed Category',
        properties: [
          { name: 'Category', value: 'Shoes' },
          { name: '$value', value: 42 },
          { name: 'Items', value: ['a', 'b'] },
        ],
        email: ' sarah@example.com ',
      },
      { env },
    );
    expect(env.window._learnq).toEqual([
      ['identify', { email: 'sarah@example.com' }],
      ['track', 'Viewed Category', { Category: 'Shoes', $value: 42, Items: ['a', 'b'] }],
    ]);
    // One klite for the page: the second tag waits for the first one's script.
    expect(env.scripts).toHaveLength(1);
    env.scripts[0].load();
    expect([load.success, load.failure, track.success, track.failure]).toEqual([1, 0, 1, 0]);

    // Once klite has replaced `_learnq` with its own object, events go straight to it.
    const seen: unknown[] = [];
    env.window._learnq = { push: (entry: unknown) => seen.push(entry) };
    const later = fire(template, { companyId: KEY, tagType: 'track', eventName: 'Signed Up' }, { env });
    expect(seen).toEqual([['track', 'Signed Up', {}]]);
    expect([later.success, env.scripts.length]).toEqual([1, 1]);
  });

  it('track: an event without a name queues nothing and fails', () => {
    const run = fire(template, { companyId: KEY, tagType: 'track', eventName: '  ' });
    expect([run.env.window._learnq, run.env.scripts.length, run.failure, run.env.logs.length]).toEqual([undefined, 0, 1, 1]);
  });
});

describe('GTM template: permissions', () => {
  const narrowed = (change: Record<string, unknown>) => ({ ...template.permissions, ...change });

  it('are enforced: the same code with a narrowed permission fails as in GTM', () => {
    // _learnq readable only: createQueue needs read and write.
    const readOnly = fire(
      template,
      { companyId: KEY, tagType: 'track', eventName: 'Signed Up' },
      { permissions: narrowed({ access_globals: [{ key: '_learnq', read: true, write: false, execute: false }] }) },
    );
    expect(readOnly.error?.name).toBe('PermissionError');
    expect(readOnly.env.window).toEqual({});
    // Another host only: the tag refuses before injecting, with the way out.
    const otherHost = fire(template, { companyId: KEY }, { permissions: narrowed({ inject_script: ['https://static.example.com/*'] }) });
    expect([otherHost.env.scripts.length, otherHost.failure]).toEqual([0, 1]);
    expect(otherHost.env.logs[0]).toContain('"Injects scripts" permission');
    // No logging permission: the refusal's console line is itself refused.
    expect(fire(template, { companyId: 'pk_x' }, { permissions: narrowed({ logging: undefined }) }).error?.name).toBe('PermissionError');
    // The sandbox's own check, without the template's queryPermission in front of it.
    const env = nodeEnv();
    const { require } = createApis(template.permissions, env);
    expect(() => runSandboxed("require('injectScript')('https://evil.example.com/klite.js');", {}, require)).toThrow(/inject_script/);
    expect(() => runSandboxed("require('setInWindow')('klaviyo', 1);", {}, require)).toThrow(/access_globals/);
    expect(env.scripts).toEqual([]);
  });

  it('match URLs with the match-pattern rules: https, exact or *. host, * in the path', () => {
    const allows = (patterns: string[], url: string) =>
      createApis({ inject_script: patterns }, nodeEnv()).apis.queryPermission('inject_script', url);
    const cdn = template.permissions.inject_script;
    expect(allows(cdn, `${CDN}?company_id=${KEY}&consent=pending`)).toBe(true);
    expect(allows(cdn, 'https://cdn.jsdelivr.net/npm/klite@0.2.0/dist/klite.core.js')).toBe(true);
    expect(allows(cdn, 'http://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js')).toBe(false);
    expect(allows(cdn, 'https://cdn.jsdelivr.net/npm/klite-evil@1/x.js')).toBe(false);
    expect(allows(cdn, 'https://cdn.jsdelivr.net.evil.example/npm/klite@1/x.js')).toBe(false);
    const own = ['https://*.shop.example/kl/*'];
    expect(allows(own, 'https://www.shop.example/kl/klite.js?company_id=AbC123')).toBe(true);
    expect(allows(own, 'https://evilshop.example/kl/klite.js')).toBe(false);
    expect(allows(own, 'https://www.shop.example/other/klite.js')).toBe(false);
    expect(allows(['https://www.shop.example/kl/klite.js'], 'https://www.shop.example/kl/klite.js?company_id=AbC123')).toBe(false);
    expect(allows(['http://www.shop.example/*'], 'http://www.shop.example/kl/klite.js')).toBe(false);
  });
});

describe('GTM template: its own ___TESTS___', () => {
  it('pass in the emulator', () => {
    const results = runTemplateTests(template);
    expect(results.length).toBeGreaterThanOrEqual(9);
    expect(results.filter((r: any) => !r.ok)).toEqual([]);
  });

  it('are not decorative: they fail when the template loses a feature', () => {
    const broken = (from: string, to: string) => {
      expect(template.code).toContain(from);
      const failed = runTemplateTests({ ...template, code: template.code.replace(from, to) }).filter((r: any) => !r.ok);
      return failed.map((r: any) => r.name);
    };
    expect(broken("makeTableMap(data.properties || [], 'name', 'value') || {}", '{}')).toEqual([
      expect.stringContaining('mapped properties'),
    ]);
    expect(broken("return refuse('a private API key", "refuse('a private API key")).toContain(
      'A private key is refused - one console line, nothing loaded or queued',
    );
    expect(broken('data.gtmOnFailure, ', 'data.gtmOnSuccess, ')).toContain('Load - a script that fails to load fails the tag');
  });
});
