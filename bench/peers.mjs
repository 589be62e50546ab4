// klite against peer SDKs, same page, same browser, same run: `npm run bench:peers` installs the
// peers in bench/peers/ (their own package.json, not klite's dependencies) and measures each with
// its default configuration (PostHog: told not to drop headless Chromium as a bot), pointed at a local server that answers everything with 200, so no
// SDK pays for retries. Prints one table (median and min–max) and writes JSON to bench/results/.
//   BENCH_RUNS (default 5), BENCH_CALLS (default 1000), BENCH_SUBJECTS (names to keep, e.g. klite).
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { stubScript } from '../e2e/pages.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const CALLS = Number(process.env.BENCH_CALLS || 1000);
const root = new URL('../', import.meta.url);
const peer = (p) => `bench/peers/node_modules/${p}`;
const version = (p) => JSON.parse(readFileSync(new URL(peer(p) + '/package.json', root))).version;
const PROPS = `{ i, sku: 'SKU-' + i, price: i * 1.5, tags: ['a', 'b'] }`;

/**
 * Each SDK as its documentation installs it: the loader or snippet in the page, the bundle from
 * the local server, initialised with the local server as its API host. `ready` is true once it
 * has started; `identify` and `track` are one call each.
 */
const SUBJECTS = {
  klite: {
    file: 'dist/klite.js',
    head: (url) => stubScript(`'${url}/dist/klite.js?company_id=BenCh1&endpoint=${encodeURIComponent(url)}'`, { min: true }),
    ready: '!!window.__klite',
    identify: `klaviyo.identify({ email: 'bench@example.com' })`,
    track: `klaviyo.track('Bench Event', ${PROPS})`,
  },
  [`posthog-js ${version('posthog-js')}`]: {
    file: peer('posthog-js/dist/array.js'),
    head: (url) => `<script>window.posthog = []; posthog._i = []; posthog.__SV = 1; posthog.init = function (k, c, n) { posthog._i.push([k, c, n]); };
posthog.init('phc_bench', { api_host: '${url}', advanced_disable_decide: true, disable_session_recording: true, opt_out_useragent_filter: true });</script><script async src="${url}/${peer('posthog-js/dist/array.js')}"></script>`,
    ready: '!!(window.posthog && posthog.__loaded)',
    identify: `posthog.identify('bench@example.com')`,
    track: `posthog.capture('Bench Event', ${PROPS})`,
  },
  [`mixpanel-browser ${version('mixpanel-browser')}`]: {
    file: peer('mixpanel-browser/dist/mixpanel.min.js'),
    head: (url) => `<script>window.mixpanel = []; mixpanel._i = []; mixpanel.__SV = 1.2; mixpanel.init = function (t, c, n) { mixpanel._i.push([t, c, n || 'mixpanel']); };
mixpanel.init('bench', { api_host: '${url}' });</script><script async src="${url}/${peer('mixpanel-browser/dist/mixpanel.min.js')}"></script>`,
    ready: '!!(window.mixpanel && mixpanel.__loaded)',
    identify: `mixpanel.identify('bench@example.com')`,
    track: `mixpanel.track('Bench Event', ${PROPS})`,
  },
  [`@snowplow/browser-tracker ${version('@snowplow/browser-tracker')}`]: {
    file: peer('@snowplow/browser-tracker/dist/index.umd.min.js'),
    head: (url) => `<script async src="${url}/${peer('@snowplow/browser-tracker/dist/index.umd.min.js')}" onload="snowplowBrowserTracking.newTracker('sp', '${url}', { appId: 'bench' }); window.spReady = true"></script>`,
    ready: '!!window.spReady',
    identify: `snowplowBrowserTracking.setUserId('bench@example.com')`,
    track: `snowplowBrowserTracking.trackStructEvent({ category: 'bench', action: 'Bench Event', label: 'SKU-' + i, property: 'a,b', value: i * 1.5 })`,
  },
};

/** Serves the bundles and answers every other request 200, counting requests and bytes. */
function startServer() {
  const counts = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && /\.js$/.test(path)) {
      try {
        res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
        return res.end(readFileSync(new URL(path.slice(1), root)));
      } catch {}
    }
    if (req.method === 'GET' && path === '/bench.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(server.page || '');
    }
    let size = 0;
    req.on('data', (c) => (size += c.length));
    req.on('end', () => {
      if (req.method !== 'OPTIONS') {
        counts.requests++;
        counts.bytes += size;
      }
      res.writeHead(req.url.startsWith('/client/') ? 202 : 200, {
        'content-type': 'application/json',
        'access-control-allow-origin': req.headers.origin || '*',
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
      });
      res.end(req.url.startsWith('/client/') ? '' : '{"status":1}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, counts, url: `http://127.0.0.1:${server.address().port}` })));
}

const metric = async (cdp, name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name).value;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const observeLongTasks = () => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });
};

async function measure(browser, srv, subject) {
  const out = {};
  const load = async (head) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.addInitScript(observeLongTasks);
    srv.server.page = `<!doctype html><html><head>${head}</head><body><p>bench</p></body></html>`;
    const cdp = await context.newCDPSession(p);
    await cdp.send('Performance.enable');
    await p.goto(srv.url + '/bench.html');
    return { context, p, cdp };
  };
  const bare = await load('');
  await wait(1500);
  const bareScript = await metric(bare.cdp, 'ScriptDuration');
  const bareTask = await metric(bare.cdp, 'TaskDuration');
  await bare.context.close();

  const { context, p, cdp } = await load(subject.head(srv.url));
  await p.waitForFunction(subject.ready, null, { timeout: 20_000 });
  await wait(1500);
  out.loadScriptMs = ((await metric(cdp, 'ScriptDuration')) - bareScript) * 1000;
  out.loadTaskMs = ((await metric(cdp, 'TaskDuration')) - bareTask) * 1000;
  await p.evaluate(subject.identify);
  await wait(1500);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap0 = await metric(cdp, 'JSHeapUsedSize');
  const task0 = await metric(cdp, 'TaskDuration');
  const requests0 = { ...srv.counts };
  const { loopMs, start } = await p.evaluate(`(() => { const t0 = performance.now(); for (let i = 0; i < ${CALLS}; i++) ${subject.track}; return { loopMs: performance.now() - t0, start: t0 }; })()`);
  out.loopMs = loopMs;
  await wait(5000);
  out.afterTaskMs = ((await metric(cdp, 'TaskDuration')) - task0) * 1000 - loopMs;
  const long = (await p.evaluate(() => window.__long)).filter((t) => t.start >= start);
  out.afterLongTasks = long.length;
  out.afterLongestMs = Math.max(0, ...long.map((t) => t.duration));
  out.requests = srv.counts.requests - requests0.requests;
  out.requestKB = (srv.counts.bytes - requests0.bytes) / 1024;
  await cdp.send('HeapProfiler.collectGarbage');
  out.heapGrowthKB = ((await metric(cdp, 'JSHeapUsedSize')) - heap0) / 1024;
  await context.close();
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));

const LABELS = {
  gzipBytes: 'bytes: main bundle, gzip',
  loadScriptMs: 'load: script time vs a bare page (ms)',
  loadTaskMs: 'load: task time vs a bare page (ms)',
  loopMs: `${CALLS} calls in one loop (ms)`,
  afterTaskMs: 'task time in the 5 s after the loop (ms)',
  afterLongTasks: 'long tasks in those 5 s',
  afterLongestMs: 'longest task in those 5 s (ms)',
  requests: `requests for ${CALLS} events (5 s)`,
  requestKB: 'request bodies (KB)',
  heapGrowthKB: `JS heap growth for ${CALLS} events (KB)`,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
});
const srv = await startServer();
const only = process.env.BENCH_SUBJECTS?.split(',');
if (only) for (const name of Object.keys(SUBJECTS)) if (!only.some((o) => name.startsWith(o))) delete SUBJECTS[name];
const results = {};
try {
  for (let run = 0; run < RUNS; run++)
    for (const [name, subject] of Object.entries(SUBJECTS)) {
      // Interleaved runs: a slow moment of the machine falls on every SDK alike.
      const r = await measure(browser, srv, subject);
      (results[name] ||= []).push({ gzipBytes: gzipSync(readFileSync(new URL(subject.file, root)), { level: 9 }).length, ...r });
      process.stderr.write('.');
    }
} finally {
  await browser.close();
  srv.server.close();
}
process.stderr.write('\n');

const names = Object.keys(SUBJECTS);
console.log(`bench:peers — ${RUNS} runs, median (min–max), Chromium ${browser.version()}`);
console.log(['figure'.padEnd(40), ...names.map((n) => n.padStart(28))].join(''));
const table = {};
for (const [key, label] of Object.entries(LABELS)) {
  const cells = names.map((n) => {
    const xs = results[n].map((r) => r[key]);
    table[n] = { ...table[n], [key]: { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } };
    return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`.padStart(28);
  });
  console.log([label.padEnd(40), ...cells].join(''));
}
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL(`bench/results/peers-${Date.now()}.json`, root), JSON.stringify({ runs: RUNS, calls: CALLS, table, results }, null, 2));
