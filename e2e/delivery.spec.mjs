import { test, expect, KEY, tag, ready } from './fixtures.mjs';
import { html, stubScript } from './pages.mjs';

const page0 = (url, body = '', query) => html({ head: stubScript() + tag(url, query), body });

test('identify and track reach Klaviyo: profile, then one bulk request for the burst', async ({ page, api, open }) => {
  await open(page0(api.url));
  await page.evaluate(async () => {
    await klaviyo.identify({ email: 'sarah@example.com', first_name: 'Sarah', $city: 'Boston', plan: 'gold' });
    klaviyo.track('Viewed Category', { Category: 'Shoes' });
    klaviyo.track('Viewed Category', { Category: 'Hats', $value: 12.5 });
  });
  const events = await api.eventCount(2);
  expect(events.map((e) => e.properties.Category)).toEqual(['Shoes', 'Hats']);
  expect(events[0].profile).toEqual({ email: 'sarah@example.com' });
  expect(events[1].value).toBe(12.5);
  const requests = await api.requests();
  expect(requests.map((r) => r.path)).toEqual(['/client/profiles', '/client/event-bulk-create']);
  const [profile] = await api.profiles();
  expect(profile.attributes).toMatchObject({ email: 'sarah@example.com', first_name: 'Sarah', location: { city: 'Boston' } });
  expect(profile.properties).toEqual({ plan: 'gold' });
});

test('a single event goes to /client/events with a unique_id and a time', async ({ page, api, open }) => {
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ $email: 'one@example.com' });
    return klaviyo.track('Clicked', { $event_id: 'ev-1', time: 1700000000 });
  });
  await api.eventCount(1);
  const requests = await api.requests();
  expect(requests.map((r) => r.path)).toEqual(['/client/profiles', '/client/events']);
  const body = JSON.parse(requests[1].body);
  expect(body.data.attributes.unique_id).toBe('ev-1');
  expect(body.data.attributes.time).toBe('2023-11-14T22:13:20.000Z');
});

test('calls made through the stub and _learnq before klite loads are delivered, identify first', async ({ page, api, open }) => {
  // The bundle is held back until the page has queued its calls.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/dist/klite.js*', async (route) => {
    await held;
    await route.continue();
  });
  const promises = open(
    `<!doctype html><html><head>
<script>var _learnq = _learnq || []; _learnq.push(['track', 'Legacy Event', { n: 1 }]);
_learnq.push(function (k) { window.fnSawTracker = typeof k.track; });
_learnq.push(['account', '${KEY}']);</script>
${stubScript(`'${api.url}/dist/klite.js?endpoint=${encodeURIComponent(api.url)}'`)}
<script>
window.results = [];
klaviyo.track('Stub Event', { n: 2 }, function (v) { results.push(['cb', v]); }).then(function (v) { results.push(['then', v]); });
klaviyo.push(['track', 'Pushed Event', { n: 3 }]);
_learnq.push(['identify', { $email: 'early@example.com' }]);
JSON.stringify(klaviyo);
</script></head><body></body></html>`,
    undefined,
    'domcontentloaded',
  );
  await promises;
  expect(await page.evaluate(() => Array.isArray(window._klOnsite) && window._klOnsite.length)).toBe(2);
  release();
  await ready(page);
  const events = await api.eventCount(3);
  expect(events.map((e) => e.metric).sort()).toEqual(['Legacy Event', 'Pushed Event', 'Stub Event']);
  expect(events.every((e) => e.profile.email === 'early@example.com')).toBe(true);
  expect(await page.evaluate(() => window.results)).toEqual([
    ['cb', true],
    ['then', true],
  ]);
  expect(await page.evaluate(() => window.fnSawTracker)).toBe('function');
  // _learnq.push runs synchronously from now on, and _learnq.isIdentified() is a boolean.
  expect(
    await page.evaluate(() => {
      _learnq.push(['track', 'Sync']);
      return [_learnq.isIdentified(), typeof klaviyo.isIdentified().then];
    }),
  ).toEqual([true, 'function']);
  await api.eventCount(4);
});

test('a reload before the flush loses nothing', async ({ page, api, open }) => {
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ email: 'reload@example.com' });
    for (let i = 0; i < 5; i++) klaviyo.track('Before Reload', { i });
  });
  // Block delivery so only the write-ahead queue can carry the events across the reload.
  await api.faults([{ status: 503 }]);
  await page.waitForTimeout(300);
  await page.reload();
  await api.faults([]);
  await ready(page);
  const events = await api.eventCount(5);
  expect(events.map((e) => e.properties.i).sort()).toEqual([0, 1, 2, 3, 4]);
});

test('offline, then online: everything is delivered', async ({ page, context, api, open }) => {
  await open(page0(api.url));
  await context.setOffline(true);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'offline@example.com' });
    for (let i = 0; i < 3; i++) klaviyo.track('Offline', { i });
  });
  await page.waitForTimeout(2500);
  expect((await api.requests()).length).toBe(0);
  await context.setOffline(false);
  await api.eventCount(3);
});

test('503s then 200: each event arrives once per unique_id', async ({ page, api, open }) => {
  await api.faults([{ status: 503, count: 3 }]);
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ email: 'retry@example.com' });
    for (let i = 0; i < 4; i++) klaviyo.track('Retried', { i });
  });
  const events = await api.eventCount(4, 40_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(4);
  expect((await api.counters()).duplicate).toBe(0);
  expect((await api.requests()).filter((r) => r.status === 503).length).toBe(3);
});

test('a 429 with Retry-After: 2 is waited out', async ({ page, api, open }) => {
  await api.faults([{ status: 429, count: 1, retryAfter: 2 }]);
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ email: 'rate@example.com' });
    klaviyo.track('Limited');
  });
  await expect.poll(async () => (await api.requests()).length).toBeGreaterThan(0);
  const first = (await api.requests())[0];
  expect(first.status).toBe(429);
  await api.eventCount(1);
  const after = (await api.requests()).filter((r) => r.status === 202);
  expect(Math.min(...after.map((r) => r.at)) - first.at).toBeGreaterThanOrEqual(1900);
});

test("an anonymous visitor's events wait, across pages, and arrive after a later identify", async ({ page, api, open }) => {
  await open(page0(api.url));
  await page.evaluate(() => klaviyo.track('Anonymous Browse', { step: 1 }));
  await page.waitForTimeout(1500);
  expect((await api.requests()).length).toBe(0);
  await page.reload();
  await ready(page);
  await page.evaluate(() => klaviyo.track('Anonymous Browse', { step: 2 }));
  await page.waitForTimeout(1500);
  expect((await api.requests()).length).toBe(0);
  await page.evaluate(() => klaviyo.identify({ email: 'later@example.com' }));
  const events = await api.eventCount(2);
  expect(events.every((e) => e.profile.email === 'later@example.com')).toBe(true);
});

test('utm_email identifies and _kx for this account is sent as the profile _kx', async ({ page, api, open }) => {
  await open(page0(api.url), `/shop/page.html?utm_email=utm%40example.com&_kx=tok.${KEY}`);
  await page.evaluate(() => klaviyo.track('Opened'));
  const [event] = await api.eventCount(1);
  expect(event.profile).toEqual({ email: 'utm@example.com', _kx: `tok.${KEY}` });
});

test('a permanently refused call is dropped with one warning carrying the detail; the others go', async ({ page, api, open, logs }) => {
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ email: 'bad@example.com' });
    klaviyo.track('Good', { n: 1 });
    klaviyo.track('Good', { n: 2, $event_id: 'dup' });
    klaviyo.track('Good', { n: 3, $event_id: 'dup' });
  });
  // The repeated $event_id is split into its own request, so Klaviyo keeps the first.
  const events = await api.eventCount(2);
  expect(events.map((e) => e.properties.n).sort()).toEqual([1, 2]);
  await api.faults([{ status: 400, count: 1 }]);
  await page.evaluate(() => klaviyo.track('Refused'));
  await expect.poll(() => logs.console.filter((l) => l.includes('refused by Klaviyo')).length).toBe(1);
  expect(logs.console.find((l) => l.includes('refused by Klaviyo'))).toContain('Injected by /__faults');
  expect(await page.evaluate(() => klaviyo.flush())).toBe(0);
});

// Klaviyo's documented pre-load stub, as merchants paste it (a Proxy queueing onto _klOnsite).
const KLAVIYO_STUB = `!function(){if(!window.klaviyo){window._klOnsite=window._klOnsite||[];try{window.klaviyo=new Proxy({},{get:function(n,i){return"push"===i?function(){var n;(n=window._klOnsite).push.apply(n,arguments)}:function(){for(var n=arguments.length,o=new Array(n),w=0;w<n;w++)o[w]=arguments[w];var t="function"==typeof o[o.length-1]?o.pop():void 0,e=new Promise((function(n){window._klOnsite.push([i].concat(o,[function(i){t&&t(i),n(i)}]))}));return e}}})}catch(n){window.klaviyo=window.klaviyo||[],window.klaviyo.push=function(){var n;(n=window._klOnsite).push.apply(n,arguments)}}}}();`;

test("Klaviyo's own Proxy stub: its queued calls are replayed and its Promises resolve", async ({ page, api, open }) => {
  await open(`<!doctype html><html><head><script>${KLAVIYO_STUB}</script>
<script>
window.stubResults = [];
klaviyo.identify({ email: 'proxy@example.com' }).then(function (v) { stubResults.push(v); });
klaviyo.track('Proxy Event', { a: 1 }, function (v) { stubResults.push(v); });
klaviyo.push(['track', 'Proxy Pushed']);
</script>${tag(api.url)}</head><body></body></html>`);
  await ready(page);
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric).sort()).toEqual(['Proxy Event', 'Proxy Pushed']);
  await expect.poll(() => page.evaluate(() => window.stubResults.length)).toBe(2);
  expect(await page.evaluate(() => window.stubResults)).toEqual(expect.arrayContaining([{ email: 'proxy@example.com' }, true]));
});

test('an array `klaviyo` (stub without Proxy) is drained in order', async ({ page, api, open }) => {
  await open(`<!doctype html><html><head><script>
window.klaviyo = [['identify', { email: 'array@example.com' }], ['track', 'First'], ['track', 'Second']];
</script>${tag(api.url)}</head><body></body></html>`);
  await ready(page);
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric)).toEqual(['First', 'Second']);
  expect(events[0].profile.email).toBe('array@example.com');
});
