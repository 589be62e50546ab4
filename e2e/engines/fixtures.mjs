// Fixtures of the three-engine suite (engines.config.mjs): the engine of the project, a shop
// origin serving the test's pages and the built dist/klite.js, the local Klaviyo endpoint on
// another origin (so every send is cross-origin, with its CORS preflight, as from a real shop),
// and checks after every test: request bodies conform to Klaviyo's OpenAPI documents, and no page
// that is still open saw an uncaught error or an unhandled rejection.
import { test as base, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { startServer } from '../../demo/server.mjs';
import { eventCount, requestProblems } from '../endpoint-checks.mjs';
import { stubScript } from '../pages.mjs';
import { launch, missing } from './driver.mjs';
import { nodeProxy } from '../../dist/proxy-node.mjs';

export { expect };
export const KEY = 'AbC123';
const ROOT = new URL('../../', import.meta.url);

/**
 * Runs first in every page the shop serves: keeps what a test asks about later (console lines,
 * uncaught errors, unhandled rejections) in `window.__log`, in any engine, and turns auto-capture
 * off unless the page asks for it.
 */
const PRELUDE = `<script>(function () {
  var log = (window.__log = { console: [], errors: [] });
  ['warn', 'error'].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      log.console.push(level + ': ' + [].map.call(arguments, String).join(' '));
      return original.apply(console, arguments);
    };
  });
  addEventListener('error', function (e) { log.errors.push('error: ' + e.message); });
  addEventListener('unhandledrejection', function (e) { log.errors.push('unhandledrejection: ' + (e.reason && e.reason.stack || e.reason)); });
  if (!/[?&]capture=1/.test(location.search)) window.kliteOptions = { capture: false };
})();</script>`;

/**
 * The shop: pages registered by tests at /p/<n>, /dist/*, /elsewhere (a page without klite), and
 * klite's first-party proxy (dist/proxy-node.mjs) at /fp/<test>/: the endpoint's /t/<test>/ on the
 * shop's own origin, as a shop running the proxy has it.
 */
async function startShop(endpoint) {
  const pages = new Map();
  const proxies = new Map();
  let n = 0;
  const server = createServer(async (req, res) => {
    const { pathname: path, searchParams } = new URL(req.url, 'http://x');
    try {
      const prefix = path.match(/^\/fp\/[\w-]+/)?.[0];
      if (prefix) {
        if (!proxies.has(prefix))
          proxies.set(prefix, nodeProxy({ companyIds: [KEY], prefix, upstream: endpoint.url + prefix.replace('/fp/', '/t/') }));
        return await proxies.get(prefix)(req, res);
      }
      if (path.startsWith('/dist/')) {
        // `?delay=ms`: a slow CDN, so that a page queues calls before klite arrives.
        await new Promise((r) => setTimeout(r, Number(searchParams.get('delay')) || 0));
        const body = await readFile(new URL('.' + path, ROOT));
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        return res.end(body);
      }
      const html = path === '/elsewhere' ? '<!doctype html><title>elsewhere</title><p>elsewhere</p>' : pages.get(path);
      if (html === undefined) throw new Error('no page');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html.replace(/<head>|^/i, (m) => m + PRELUDE));
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  // `localhost` for the shop, 127.0.0.1 for the endpoint: two origins.
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${server.address().port}`;
  return {
    url,
    /** Serves `html` and returns its URL (with `query`, e.g. `capture=1`). */
    page: (html, query = '') => {
      const path = `/p/${++n}.html`;
      pages.set(path, html);
      return url + path + (query && '?' + query);
    },
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

export const test = base.extend({
  engine: ['chromium', { option: true, scope: 'worker' }],

  browser: [
    async ({ engine }, use) => {
      if (missing(engine)) return use(undefined);
      const browser = await launch(engine);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  endpoint: [
    async ({}, use) => {
      const server = await startServer({ port: 0 });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  shop: [
    async ({ endpoint }, use) => {
      const shop = await startShop(endpoint);
      await use(shop);
      await shop.close();
    },
    { scope: 'worker' },
  ],

  /** The endpoint for this test: its own prefix and state, helpers to inspect it and inject faults. */
  api: async ({ endpoint }, use, testInfo) => {
    const id = `${testInfo.workerIndex}-${testInfo.testId}-${testInfo.retry}-${testInfo.repeatEachIndex}`;
    await fetch(`${endpoint.url}/__reset?test=${id}`, { method: 'POST' });
    const get = async (what) => (await fetch(`${endpoint.url}/__inspect/${what}`)).json();
    const api = {
      url: `${endpoint.url}/t/${id}`,
      /** The same, through the shop's first-party proxy: an endpoint path on the shop's origin. */
      firstParty: `/fp/${id}`,
      events: () => get('events'),
      profiles: () => get('profiles'),
      requests: () => get('requests'),
      counters: () => get('counters'),
      faults: (list) => fetch(endpoint.url + '/__faults', { method: 'POST', body: JSON.stringify(list) }),
      /** A new prefix of the same state: what pages of earlier runs still send is answered, not counted. */
      async run(n) {
        await fetch(`${endpoint.url}/__reset?test=${id}-${n}`, { method: 'POST' });
        api.url = `${endpoint.url}/t/${id}-${n}`;
        api.firstParty = `/fp/${id}-${n}`;
      },
      eventCount: (n, timeout) => eventCount(api, n, timeout),
    };
    await use(api);
    // Every body that reached the endpoint, including refused and faulted ones.
    const problems = requestProblems(await api.requests());
    expect(problems, 'requests conform to the OpenAPI documents').toEqual([]);
  },

  /** A fresh profile's storage in this test's engine; skipped, with the reason, where the engine is missing. */
  session: async ({ browser, engine }, use, testInfo) => {
    const why = missing(engine);
    if (why) console.log(`skipped: ${why}`);
    testInfo.skip(!!why, why);
    const session = await browser.session();
    const tabs = [];
    const wrapped = {
      async tab() {
        const t = await session.tab();
        tabs.push(t);
        return t;
      },
      tabs,
    };
    await use(wrapped);
    // Every page still open: no uncaught error, no unhandled rejection.
    const errors = [];
    for (const t of tabs) errors.push(...((await t.evaluate(() => window.__log && window.__log.errors).catch(() => [])) || []));
    await session.close();
    expect(errors, 'no uncaught errors or unhandled rejections in the page').toEqual([]);
  },

  /** The test's first tab. */
  tab: async ({ session }, use) => use(await session.tab()),
});

/** The script tag merchants paste: `async` by default, pointed at the test's endpoint (`firstParty`: through the shop's proxy). */
export const tag = (shop, api, { query = `company_id=${KEY}`, async = true, firstParty = false } = {}) =>
  `<script ${async ? 'async ' : ''}src="${shop.url}/dist/klite.js?${query}&endpoint=${encodeURIComponent(firstParty ? api.firstParty : api.url)}"></script>`;

/** Klaviyo's stub, loading klite from the shop (`src` null: it loads nothing). */
export const stub = (shop, api, src = `'${shop.url}/dist/klite.js?company_id=${KEY}&endpoint=${encodeURIComponent(api.url)}'`) =>
  stubScript(src);

/** Resolves once klite has replaced the stub in `tab`. */
export async function ready(tab, timeout = 10_000) {
  await expect.poll(() => tab.evaluate(() => !!window.__klite), { timeout }).toBe(true);
}

/** The console lines the page kept (see PRELUDE). */
export const consoleOf = (tab) => tab.evaluate(() => window.__log.console);
