// A small emulation of what Google Tag Manager runs for a web tag template (integrations/gtm/
// template.tpl), so the template's code and its own ___TESTS___ run here, and in a page. Nothing of
// Google's service can be reached from the tests; this models what its public documentation says:
//
// - developers.google.com/tag-platform/tag-manager/templates (the file's sections),
//   …/templates/sandboxed-javascript: the code is the body of a function of `data`, with `require`
//   as its only way to the page (no `window`, `document`, global constructors, `new` or `this`);
// - …/templates/api: injectScript(url, onSuccess, onFailure, cacheToken) (one script element per
//   cacheToken, later callers queued until it loads), createQueue (a function pushing onto the
//   window value, an array created if missing; like GTM's runtime, any value with a `push` will do,
//   as `_learnq` once klite or klaviyo.js has replaced it), setInWindow, copyFromWindow
//   (a deep copy), callInWindow, makeTableMap (null when the table gives nothing), logToConsole,
//   queryPermission, encodeUriComponent, getType, JSON;
// - …/templates/permissions: every API checks its permission and a call outside it throws:
//   inject_script (URL match patterns), access_globals (exact dot-separated keys with read, write,
//   execute; createQueue needs read and write), logging (environments `debug` or `all`);
// - …/templates/tests: runCode(data), mock(api, value or function) (a mocked API is not
//   permission-checked), assertApi(...).wasCalled/wasNotCalled/wasCalledWith/wasNotCalledWith,
//   assertThat(x).isEqualTo/…, fail(); `setup` runs before each scenario.
//
// Where the documentation is silent, the stricter reading is taken, so that a template passing here
// does not fail in GTM for it: URL match patterns must be https and name a path; the host matches
// exactly (port included), or `*.example.com` matches subdomains only; each `*` in the path matches
// any characters, and the path is matched against the URL's path and query string (end a pattern
// with `*` to allow a query). In ___TESTS___, an injectScript that is not mocked loads nothing.
import { parse } from 'acorn';
import yaml from 'js-yaml';
import vm from 'node:vm';

/** The sections of a .tpl file (`___NAME___` lines), by name. */
export function sections(text) {
  const out = {};
  const parts = text.split(/^___([A-Z_]+)___[ \t]*$/m);
  for (let i = 1; i < parts.length; i += 2) out[parts[i]] = parts[i + 1].replace(/^\n+|\s+$/g, '');
  return out;
}

/** ___WEB_PERMISSIONS___ in a plain shape: { inject_script: [patterns], access_globals: [{ key, read, write, execute }], logging: 'debug' | 'all' }. */
export function permissionsOf(list) {
  const value = (v) =>
    v.type == 1
      ? v.string
      : v.type == 8
        ? v.boolean
        : v.type == 2
          ? v.listItem.map(value)
          : Object.fromEntries(v.mapKey.map((k, i) => [value(k), value(v.mapValue[i])]));
  const out = {};
  for (const { instance } of list) {
    const params = Object.fromEntries((instance.param || []).map((p) => [p.key, value(p.value)]));
    const id = instance.key.publicId;
    if (id == 'inject_script') out.inject_script = params.urls || [];
    else if (id == 'access_globals')
      out.access_globals = (params.keys || []).map((k) => ({ ...k, read: !!k.read, write: !!k.write, execute: !!k.execute }));
    else if (id == 'logging') out.logging = params.environments;
    else out[id] = params;
  }
  return out;
}

/** The template: its sections, ___INFO___, parameters, permissions, code and test scenarios. */
export function parseTemplate(text) {
  const s = sections(text);
  const tests = s.TESTS ? yaml.load(s.TESTS) : { scenarios: [] };
  return {
    sections: s,
    info: JSON.parse(s.INFO),
    parameters: JSON.parse(s.TEMPLATE_PARAMETERS),
    permissions: permissionsOf(JSON.parse(s.WEB_PERMISSIONS)),
    code: s.SANDBOXED_JS_FOR_WEB_TEMPLATE,
    tests,
  };
}

/** `data` as GTM builds it for a tag: each field's default value (groups included), then `overrides`. */
export function dataFor(parameters, overrides = {}) {
  const data = {};
  const walk = (list) =>
    list.forEach((p) => {
      if (p.type == 'GROUP') walk(p.subParams || []);
      else if ('defaultValue' in p) data[p.name] = p.defaultValue;
    });
  walk(parameters);
  return { ...data, ...overrides };
}

/**
 * The sandboxed APIs over `env`: `{ window, inject(url, onLoad, onError), log(...args), debug }`.
 * Self-contained (no outside names), so the e2e test can send its source into a page, where
 * `window` is the page's and `inject` adds a real async script element. Returns `{ require }`.
 */
export function createApis(permissions, env) {
  const denied = (permission, detail) => {
    const e = new Error(`Permission denied: ${permission} does not allow ${detail}`);
    e.name = 'PermissionError';
    return e;
  };
  const isString = (v) => typeof v == 'string';

  /** A URL match pattern (see this file's header), matched against a URL. */
  const matches = (pattern, url) => {
    const p = /^https:\/\/([^/*]+|\*\.[^/*]+)(\/.*)$/.exec(pattern);
    let u;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (!p || u.protocol != 'https:') return false;
    const host = p[1].toLowerCase();
    const ok = host.startsWith('*.') ? u.host.endsWith(host.slice(1)) : u.host == host;
    const path = new RegExp(
      '^' +
        p[2]
          .split('*')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    return ok && path.test(u.pathname + u.search);
  };
  const canInject = (url) => isString(url) && (permissions.inject_script || []).some((p) => matches(p, url));
  const canAccess = (mode, key) => {
    const k = (permissions.access_globals || []).find((g) => g.key === key);
    return !!k && (mode == 'readwrite' ? k.read && k.write : !!k[mode]);
  };
  const access = (mode, key) => {
    if (!isString(key) || !canAccess(mode, key)) throw denied('access_globals', `${mode} on ${key}`);
  };
  const canLog = () => permissions.logging == 'all' || (permissions.logging == 'debug' && !!env.debug);

  // Values cross between the sandbox and the page as copies (GTM converts them both ways).
  const copy = (v) =>
    Array.isArray(v) ? v.map(copy) : v && typeof v == 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v;
  const parent = (key, create) => {
    const path = key.split('.');
    let o = env.window;
    for (const name of path.slice(0, -1)) {
      if (o[name] == null) {
        if (!create) return [undefined];
        o[name] = {};
      }
      o = o[name];
    }
    return [o, path[path.length - 1]];
  };

  // One script element per cacheToken per page, as GTM does; shared by every tag run on `env`.
  const cache = (env.cache ||= {});
  const apis = {
    injectScript(url, onSuccess, onFailure, cacheToken) {
      if (!canInject(url)) throw denied('inject_script', url);
      const call = (f) => typeof f == 'function' && f();
      if (cacheToken === undefined)
        return void env.inject(
          url,
          () => call(onSuccess),
          () => call(onFailure),
        );
      const entry = cache[cacheToken];
      if (entry && entry.state != 'loading') return void call(entry.state == 'loaded' ? onSuccess : onFailure);
      if (entry) return void entry.waiting.push([onSuccess, onFailure]);
      const next = (cache[cacheToken] = { state: 'loading', waiting: [[onSuccess, onFailure]] });
      const settle = (state) => () => {
        next.state = state;
        next.waiting.splice(0).forEach((w) => call(w[state == 'loaded' ? 0 : 1]));
      };
      env.inject(url, settle('loaded'), settle('failed'));
    },
    createQueue(key) {
      access('readwrite', key);
      const [o, name] = parent(key, true);
      if (o[name] === undefined) o[name] = [];
      const queue = o[name];
      return (value) => {
        if (!queue || typeof queue.push != 'function') throw new Error(`Object at ${key} in window is not an array.`);
        queue.push(copy(value));
      };
    },
    setInWindow(key, value, overrideExisting) {
      access('write', key);
      const [o, name] = parent(key, true);
      if (o[name] !== undefined && !overrideExisting) return false;
      o[name] = copy(value);
      return true;
    },
    copyFromWindow(key) {
      access('read', key);
      const [o, name] = parent(key, false);
      return o == null ? undefined : copy(o[name]);
    },
    callInWindow(key, ...args) {
      access('execute', key);
      const [o, name] = parent(key, false);
      if (o == null || typeof o[name] != 'function') return undefined;
      return copy(o[name](...args.map(copy)));
    },
    makeTableMap(table, keyColumn, valueColumn) {
      if (!Array.isArray(table)) return null;
      const map = {};
      for (const row of table) if (row && row[keyColumn] !== undefined) map[row[keyColumn]] = row[valueColumn];
      return Object.keys(map).length ? map : null;
    },
    logToConsole(...args) {
      if (!permissions.logging) throw denied('logging', 'logToConsole');
      if (canLog()) env.log(...args.map(copy));
    },
    queryPermission(permission, ...args) {
      if (permission == 'inject_script') return canInject(args[0]);
      if (permission == 'access_globals') return canAccess(args[0], args[1]);
      if (permission == 'logging') return canLog();
      return false;
    },
    encodeUriComponent(value) {
      try {
        return isString(value) ? encodeURIComponent(value) : undefined;
      } catch {
        return undefined;
      }
    },
    getType(value) {
      return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    },
    JSON: {
      parse: (text) => {
        try {
          return JSON.parse(text);
        } catch {
          return undefined;
        }
      },
      stringify: (value) => {
        try {
          return JSON.stringify(value);
        } catch {
          return undefined;
        }
      },
    },
  };
  return {
    apis,
    require(name) {
      if (!Object.prototype.hasOwnProperty.call(apis, name)) throw new Error(`Unknown sandboxed API: ${name}`);
      return apis[name];
    },
  };
}

/** The names of the sandboxed APIs the emulation offers. */
export const API_NAMES = Object.keys(createApis({}, { window: {} }).apis);

/**
 * Problems with `code` as sandboxed JavaScript: it must parse as ECMAScript 5.1 (the docs' base; the
 * template does not use the few ES6 additions), as a function body, without `new`, `this`, regular
 * expression literals or any global but `require` and `data`, and `require` only named APIs.
 */
export function sandboxProblems(code) {
  let ast;
  try {
    ast = parse(code, { ecmaVersion: 5, allowReturnOutsideFunction: true, locations: true });
  } catch (e) {
    return [`does not parse as ES5.1: ${e.message}`];
  }
  const problems = [];
  const declared = new Set(['require', 'data', 'undefined']);
  const used = [];
  const visit = (node, parentNode, field) => {
    if (!node || typeof node.type != 'string') return;
    const at = `line ${node.loc.start.line}`;
    if (node.type == 'NewExpression') problems.push(`${at}: \`new\``);
    if (node.type == 'ThisExpression') problems.push(`${at}: \`this\``);
    if (node.type == 'Literal' && node.regex) problems.push(`${at}: a regular expression literal`);
    if (node.type == 'VariableDeclarator') declared.add(node.id.name);
    if (/^Function/.test(node.type)) {
      if (node.id) declared.add(node.id.name);
      node.params.forEach((p) => declared.add(p.name));
    }
    if (node.type == 'CatchClause') declared.add(node.param.name);
    if (node.type == 'CallExpression' && node.callee.type == 'Identifier' && node.callee.name == 'require') {
      const name = node.arguments[0];
      if (!name || name.type != 'Literal' || !API_NAMES.includes(name.value))
        problems.push(`${at}: require(${name ? name.raw : ''}) is not an offered API`);
    }
    const isReference =
      node.type == 'Identifier' &&
      !(parentNode?.type == 'MemberExpression' && field == 'property' && !parentNode.computed) &&
      !(parentNode?.type == 'Property' && field == 'key') &&
      !/Label|Break|Continue/.test(parentNode?.type || '');
    if (isReference) used.push([node.name, at]);
    for (const [key, child] of Object.entries(node)) {
      if (key == 'loc') continue;
      if (Array.isArray(child)) child.forEach((c) => visit(c, node, key));
      else if (child && typeof child == 'object') visit(child, node, key);
    }
  };
  visit(ast);
  for (const [name, at] of used) if (!declared.has(name)) problems.push(`${at}: global \`${name}\``);
  return problems;
}

// The sandbox has no global environment: the context is stripped of the built-in globals too, so
// code that slipped past sandboxProblems still cannot reach them.
const BUILT_INS = Object.getOwnPropertyNames(globalThis).filter((k) => !['undefined', 'NaN', 'Infinity', 'globalThis'].includes(k));

/** Runs sandboxed `code` as GTM does: a function body called with `data`, `require` its only way out. */
export function runSandboxed(code, data, require) {
  const context = vm.createContext({});
  vm.runInContext(`for (const k of ${JSON.stringify(BUILT_INS)}) try { delete globalThis[k]; } catch {}`, context);
  return vm.runInContext(`(function (require, data) {\n${code}\n})`, context)(require, data);
}

/** A page for the node runs: a plain window, and the scripts injected (load or fail them by hand). */
export function nodeEnv({ window = {}, debug = false } = {}) {
  const env = {
    window,
    debug,
    scripts: [],
    logs: [],
    log: (...args) => env.logs.push(args.map(String).join(' ')),
    inject: (url, load, error) => env.scripts.push({ url, load, error }),
  };
  return env;
}

/**
 * Runs the template's code once as a tag: `data` from the fields' defaults and `overrides`, with
 * `gtmOnSuccess`/`gtmOnFailure` counted. Returns the run: { env, result, error, success, failure }.
 */
export function fire(template, overrides, { env = nodeEnv(), permissions = template.permissions } = {}) {
  const run = { env, success: 0, failure: 0, error: undefined };
  const data = dataFor(template.parameters, overrides);
  data.gtmOnSuccess = () => run.success++;
  data.gtmOnFailure = () => run.failure++;
  try {
    runSandboxed(template.code, data, createApis(permissions, env).require);
  } catch (e) {
    run.error = e;
  }
  return run;
}

const equal = (a, b) => {
  if (a === b) return true;
  if (typeof a != 'object' || typeof b != 'object' || !a || !b || Array.isArray(a) != Array.isArray(b)) return false;
  const ka = Object.keys(a);
  return ka.length == Object.keys(b).length && ka.every((k) => equal(a[k], b[k]));
};
const show = (v) => (typeof v == 'function' ? 'function' : JSON.stringify(v));

/** Runs the template's ___TESTS___ scenarios; one result per scenario: { name, ok, error }. */
export function runTemplateTests(template) {
  const { scenarios = [], setup = '' } = template.tests || {};
  return scenarios.map(({ name, code }) => {
    const calls = [];
    const mocks = {};
    const env = nodeEnv();
    const real = createApis(template.permissions, env).apis;
    const record = (api, args) => calls.push({ api, args });
    const require = (api) => {
      if (!Object.prototype.hasOwnProperty.call(real, api)) throw new Error(`Unknown sandboxed API: ${api}`);
      if (typeof real[api] != 'function') return real[api];
      return (...args) => {
        record(api, args);
        if (!(api in mocks)) return real[api](...args);
        return typeof mocks[api] == 'function' ? mocks[api](...args) : mocks[api];
      };
    };
    const fail = (message) => {
      throw new Error(message || 'fail()');
    };
    const check = (ok, message) => ok || fail(message);
    const runCode = (data) =>
      runSandboxed(
        template.code,
        { ...data, gtmOnSuccess: (...a) => record('gtmOnSuccess', a), gtmOnFailure: (...a) => record('gtmOnFailure', a) },
        require,
      );
    const mock = (api, value) => {
      if (!Object.prototype.hasOwnProperty.call(real, api)) fail(`mock: unknown API ${api}`);
      mocks[api] = value;
    };
    const assertApi = (api) => {
      const of = () => calls.filter((c) => c.api == api);
      const withArgs = (args) => of().some((c) => equal(c.args, args));
      return {
        wasCalled: () => check(of().length > 0, `${api} was not called`),
        wasNotCalled: () => check(of().length == 0, `${api} was called`),
        wasCalledWith: (...args) =>
          check(
            withArgs(args),
            `${api} was not called with ${show(args)}: ${of()
              .map((c) => show(c.args))
              .join(', ')}`,
          ),
        wasNotCalledWith: (...args) => check(!withArgs(args), `${api} was called with ${show(args)}`),
      };
    };
    const assertThat = (actual, message) => {
      const that = (ok, what) => check(ok, message || `expected ${show(actual)} ${what}`);
      return {
        isEqualTo: (x) => that(equal(actual, x), `to equal ${show(x)}`),
        isNotEqualTo: (x) => that(!equal(actual, x), `not to equal ${show(x)}`),
        isStrictlyEqualTo: (x) => that(actual === x, `to be ${show(x)}`),
        isNotStrictlyEqualTo: (x) => that(actual !== x, `not to be ${show(x)}`),
        isDefined: () => that(actual !== undefined, 'to be defined'),
        isUndefined: () => that(actual === undefined, 'to be undefined'),
        isNull: () => that(actual === null, 'to be null'),
        isNotNull: () => that(actual !== null, 'not to be null'),
        isTrue: () => that(actual === true, 'to be true'),
        isFalse: () => that(actual === false, 'to be false'),
        isTruthy: () => that(!!actual, 'to be truthy'),
        isFalsy: () => that(!actual, 'to be falsy'),
        contains: (...xs) =>
          that(
            xs.every((x) => (actual || []).some((a) => equal(a, x))),
            `to contain ${show(xs)}`,
          ),
        hasLength: (n) => that(actual != null && actual.length === n, `to have length ${n}`),
        isEmpty: () => that(actual != null && actual.length === 0, 'to be empty'),
        isNotEmpty: () => that(actual != null && actual.length > 0, 'not to be empty'),
      };
    };
    const body = `${setup}\n${code}`;
    const problems = sandboxProblems(body).filter((p) => !/global `(runCode|mock|assertApi|assertThat|fail)`/.test(p));
    if (problems.length) return { name, ok: false, error: `not sandboxed JavaScript: ${problems.join('; ')}` };
    try {
      const context = vm.createContext({});
      vm.runInContext(`(function (require, runCode, mock, assertApi, assertThat, fail) {\n${body}\n})`, context)(
        require,
        runCode,
        mock,
        assertApi,
        assertThat,
        fail,
      );
      return { name, ok: true };
    } catch (e) {
      return { name, ok: false, error: String(e && e.message) };
    }
  });
}
