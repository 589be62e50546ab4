// The local Klaviyo-compatible endpoint and the static files of the demo and the e2e fixtures.
// `node demo/server.mjs [port]` (default 8787) or `startServer({ port: 0 })` from the tests.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKlaviyo, error } from './klaviyo.mjs';

export const DEMO_KEY = 'DEMO01';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATIC = { '/dist/': 'dist', '/fixtures/': 'e2e/fixtures', '/': 'demo/public' };
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, revision, accept',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

/** A small seeded PRNG (mulberry32), so a failure ratio replays the same way. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

/** The built stub, as merchants paste it, loading klite.js from this server for the demo account. */
/**
 * A strict Content-Security-Policy for a shop using klite: scripts from the shop's origin (where
 * klite.js is served here; a CDN URL otherwise) and inline ones only with the nonce, never
 * eval; fetch/XHR/beacons only to the shop and the Klaviyo endpoint (the same origin here).
 */
export const strictPolicy = (nonce, endpoint = "'self'") =>
  `default-src 'self'; script-src 'self' 'nonce-${nonce}'; connect-src 'self' ${endpoint}; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

/**
 * The built stub, as merchants paste it. Direct: klite.js from /dist/, sending to this server's
 * endpoint by its origin, as to Klaviyo. First party: klite.js from the proxy at /kl/, sending to
 * the path /kl, as a shop that runs klite's proxy has it.
 */
async function stubTag(firstParty) {
  const stub = await readFile(join(ROOT, 'dist/stub.min.js'), 'utf8');
  const src = firstParty
    ? `'/kl/klite.js?company_id=${DEMO_KEY}&endpoint=/kl'`
    : "'/dist/klite.js?company_id=" + DEMO_KEY + "&endpoint='+encodeURIComponent(location.origin)";
  return '<script>' + stub.trim().replace('"https://cdn.example.com/klite.js?company_id=PUBLIC_KEY"', src) + '</script>';
}

/** The demo's two ways of sending, chosen by the `demo_mode` cookie (`/__mode?to=…` sets it). */
export const MODES = { direct: 'direct to the endpoint', 'first-party': "first party: through klite's proxy at /kl" };
const modeOf = (req, fallback) => req.headers.cookie?.match(/(?:^|; )demo_mode=([\w-]+)/)?.[1] || fallback;

export function startServer({ port = 0, host = '127.0.0.1', quiet = true, dataDir, rateLimits, firstParty = false } = {}) {
  const options = { dataDir, rateLimits };
  /** klite's proxy (dist/proxy-node.mjs) at /kl, in front of this server's own endpoint; made once the port is known. */
  let proxy;
  let klaviyo = createKlaviyo(options);
  /** Fault rules, first active one applies: { status, count, until, ratio, rnd, latency, drop, retryAfter, match (a string the body must contain) }. */
  let faults = [];
  /** The test whose prefixed requests are recorded (see /t/<id> below). */
  let current;

  const fault = (raw) => {
    const now = Date.now();
    faults = faults.filter((f) => (f.count === undefined || f.count > 0) && (f.until === undefined || f.until > now));
    for (const f of faults) {
      if (f.match && !raw.includes(f.match)) continue;
      if (f.rnd && f.rnd() >= f.ratio) continue;
      if (f.count !== undefined) f.count--;
      return f;
    }
  };

  async function client(req, res, url) {
    // The state this request belongs to: a reset while it waits (body, injected latency) must not
    // let it land in the next test's state.
    const k = klaviyo;
    const raw = await readBody(req);
    const r = k.record({
      at: Date.now(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: {
        revision: req.headers.revision,
        'content-type': req.headers['content-type'],
        'x-forwarded-for': req.headers['x-forwarded-for'],
      },
      // Which headers came (the proxy's tests: no cookie, no credentials); never their values.
      headerNames: Object.keys(req.headers),
      // Through klite's proxy (which adds the client's address), or straight from a browser.
      via: req.headers['x-forwarded-for'] ? 'first-party' : 'direct',
      body: raw,
      status: 0,
    });
    const f = fault(raw);
    if (f?.latency) await new Promise((resolve) => setTimeout(resolve, f.latency));
    if (f?.drop) {
      k.done(r, { status: 'dropped' });
      return req.socket.destroy();
    }
    const out = f?.status
      ? { ...error(f.status, 'Injected by /__faults', { pointer: '' }, 'fault'), retryAfter: f.retryAfter }
      : k.handle(url.pathname, url.searchParams, req.headers, raw, r);
    k.done(r, out);
    json(res, out.status, out.body, out.retryAfter !== undefined ? { 'retry-after': String(out.retryAfter) } : {});
  }

  async function control(req, res, url) {
    const { state } = klaviyo;
    if (url.pathname === '/__inspect/events')
      return json(
        res,
        200,
        state.events.map(({ dedupe, ...e }) => e),
      );
    if (url.pathname === '/__inspect/profiles') return json(res, 200, [...state.profiles.values()]);
    if (url.pathname === '/__inspect/requests') return json(res, 200, state.requests);
    if (url.pathname === '/__inspect/counters') return json(res, 200, state.counters);
    if (url.pathname === '/__inspector') return serveFile(res, 'demo/inspector.html');
    // What the inspector reads of this browser's klite storage (it runs on the shop's origin).
    if (url.pathname === '/__held.mjs') return serveFile(res, 'demo/held.mjs');
    if (url.pathname === '/__mode') {
      const to = url.searchParams.get('to');
      res.writeHead(303, { location: '/', ...(MODES[to] ? { 'set-cookie': `demo_mode=${to}; Path=/; SameSite=Lax` } : {}) });
      return res.end();
    }
    if (url.pathname === '/__reset' && req.method === 'POST') {
      current = url.searchParams.get('test') || undefined;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      klaviyo = createKlaviyo(options);
      faults = [];
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/__faults' && req.method === 'POST') {
      const list = [].concat(JSON.parse((await readBody(req)) || '[]'));
      faults = list.map((f) => ({
        ...f,
        until: f.ms ? Date.now() + f.ms : undefined,
        rnd: f.ratio !== undefined ? random(f.seed ?? 1) : undefined,
      }));
      return json(res, 200, { faults: faults.length });
    }
    json(res, 404, { error: 'unknown control path' });
  }

  async function serveFile(res, rel, mode = 'direct') {
    try {
      let body = await readFile(join(ROOT, rel));
      const headers = { 'content-type': TYPES[extname(rel)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (rel.startsWith('demo/public/') && rel.endsWith('.html')) {
        // The shop runs under the strict policy README "Privacy & consent" documents: inline
        // scripts only with this response's nonce, no eval, requests only to the endpoint.
        const nonce = randomBytes(16).toString('base64');
        body = String(body)
          .replace('<!-- klite:stub -->', await stubTag(mode == 'first-party'))
          .replace(
            '<!-- klite:mode -->',
            `Sending ${MODES[mode]} · <a href="/__mode?to=${mode == 'direct' ? 'first-party' : 'direct'}">switch to ${mode == 'direct' ? 'first party' : 'direct'}</a>`,
          )
          .replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`);
        headers['content-security-policy'] = strictPolicy(nonce);
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  }

  function serveStatic(req, res, pathname) {
    const prefix = Object.keys(STATIC).find((p) => pathname.startsWith(p));
    let rel = normalize(decodeURIComponent(pathname.slice(prefix.length))).replace(/^(\.\.[/\\])+/, '');
    if (rel === '.' || rel.endsWith('/')) rel = join(rel === '.' ? '' : rel, 'index.html');
    // The journal is a single-page app: its deep links serve its one page.
    else if (rel.startsWith('spa/')) rel = 'spa.html';
    else if (!extname(rel)) rel += '.html';
    return serveFile(res, join(STATIC[prefix], rel), modeOf(req, firstParty ? 'first-party' : 'direct'));
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      // Tests run each under its own prefix `/t/<id>/…` (pages, klite.js and endpoint alike), so a
      // request a closing page of an earlier test sends late is answered but not recorded.
      const prefixed = url.pathname.match(/^\/t\/([\w-]+)(\/.*)$/);
      if (prefixed) url.pathname = prefixed[2];
      if (url.pathname.startsWith('/client/')) {
        if (req.method === 'OPTIONS') return json(res, 204);
        if (prefixed && prefixed[1] !== current) return (req.resume(), json(res, 202));
        if (req.method === 'POST') return await client(req, res, url);
        return json(res, 405, {
          errors: [
            {
              id: 'method',
              status: 405,
              code: 'method_not_allowed',
              title: 'Method not allowed',
              detail: 'POST only',
              source: { pointer: '' },
            },
          ],
        });
      }
      if (url.pathname.startsWith('/__')) return await control(req, res, url);
      // The shop's product form posts here, as on Shopify; the cart itself lives in the page (shop.js).
      if (url.pathname === '/cart/add' && req.method === 'POST') {
        req.resume();
        res.writeHead(303, { location: '/cart' });
        return res.end();
      }
      if (url.pathname.startsWith('/kl/')) return await proxy(req, res);
      return await serveStatic(req, res, url.pathname);
    } catch (e) {
      if (!res.headersSent) json(res, 500, { error: String(e) });
    }
  });

  return new Promise((resolve) => {
    server.listen(port, host, async () => {
      const url = `http://${host}:${server.address().port}`;
      const { nodeProxy } = await import('../dist/proxy-node.mjs');
      proxy = nodeProxy({ companyIds: [DEMO_KEY], prefix: '/kl', upstream: url });
      if (!quiet)
        console.log(
          `klite demo shop: ${url}/  (sending ${MODES[firstParty ? 'first-party' : 'direct']}; the home page switches)\n` +
            `live inspector:  ${url}/__inspector\nendpoint:        ${url}/client/…  (data in ${dataDir})`,
        );
      resolve({
        url,
        server,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
        state: () => klaviyo.state,
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node demo/server.mjs [port] [--first-party]`
  const args = process.argv.slice(2);
  startServer({
    port: Number(args.find((a) => /^\d+$/.test(a)) || process.env.PORT || 8787),
    firstParty: args.includes('--first-party'),
    quiet: false,
    dataDir: process.env.KLITE_DATA || join(ROOT, 'demo/data'),
  });
}
