// Delivery in every engine: bursts, reloads, a return visit, a network that goes down, 5xx and
// 429 answers, pre-load queues (the stub, `_learnq`), and tabs sharing one queue.
import { test, expect, tag, stub, ready, KEY } from './fixtures.mjs';
import { html } from '../pages.mjs';

const plain = (shop, api, query) => html({ head: tag(shop, api, query && { query }) });

/** Opens a page with klite and waits for it. */
async function opened(tab, shop, api) {
  const url = shop.page(plain(shop, api));
  await tab.goto(url);
  await ready(tab);
  return url;
}

const burst = (n, metric = 'Burst') => ({ n, metric });
function calls({ n, metric }) {
  klaviyo.identify({ email: 'engines@example.com' });
  for (let i = 0; i < n; i++) klaviyo.track(metric, { i });
}

test('identify and a burst: the profile, then the events in one bulk request', async ({ tab, shop, api }) => {
  await opened(tab, shop, api);
  await tab.evaluate(calls, burst(30));
  const events = await api.eventCount(30);
  expect(events.every((e) => e.profile.email === 'engines@example.com')).toBe(true);
  const paths = (await api.requests()).map((r) => r.path);
  expect(paths.filter((p) => p === '/client/event-bulk-create')).toHaveLength(1);
  expect(paths).toContain('/client/profiles');
});

test('a reload before the flush loses nothing', async ({ tab, shop, api }) => {
  const url = await opened(tab, shop, api);
  // Nothing can be delivered: only the write-ahead queue carries the calls across the reload.
  await api.faults([{ status: 503 }]);
  await tab.evaluate(calls, burst(5, 'Before Reload'));
  await tab.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await tab.goto(url);
  await api.faults([]);
  await ready(tab);
  const events = await api.eventCount(5);
  expect(events.map((e) => e.properties.i).sort()).toEqual([0, 1, 2, 3, 4]);
});

test('leave with return: what the closing page could not deliver, the next page view does', async ({ tab, shop, api }) => {
  const url = await opened(tab, shop, api);
  // Every send fails, the closing page's keepalive ones too.
  await api.faults([{ status: 503 }]);
  await tab
    .evaluate(
      (arg) => {
        klaviyo.identify({ email: 'return@example.com' });
        for (let i = 0; i < arg.n; i++) klaviyo.track('Returned', { i });
        location.href = '/elsewhere';
      },
      { n: 10 },
    )
    .catch(() => {}); // the page is gone before it answers, in some engines
  await expect.poll(() => tab.evaluate(() => location.pathname).catch(() => ''), { timeout: 10_000 }).toBe('/elsewhere');
  // The closing page's keepalive requests may land after the navigation (Firefox): the faults
  // stay until they have come and failed.
  await expect
    .poll(async () => (await api.requests()).filter((r) => r.status === 503 && r.path.includes('event')).length)
    .toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 1000));
  await api.faults([]);
  expect((await api.events()).length).toBe(0);
  await tab.goto(url);
  // In WebKit the page left may be frozen holding the send lock and a transaction: taken after 15 s.
  const events = await api.eventCount(10, 45_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(10);
});

test('the network goes down, then comes back: everything is delivered', async ({ tab, shop, api }) => {
  await opened(tab, shop, api);
  // Connections dropped for 3 s: fetch fails as it does offline.
  await api.faults([{ drop: true, ms: 3000 }]);
  await tab.evaluate(calls, burst(3, 'Network Down'));
  await expect.poll(async () => (await api.requests()).some((r) => r.status === 'dropped')).toBe(true);
  const events = await api.eventCount(3, 30_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(3);
});

test('503s, then 200: retried with back-off, each event once', async ({ tab, shop, api }) => {
  await api.faults([{ status: 503, count: 3 }]);
  await opened(tab, shop, api);
  await tab.evaluate(calls, burst(4, 'Retried'));
  const events = await api.eventCount(4, 40_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(4);
  expect((await api.counters()).duplicate).toBe(0);
  expect((await api.requests()).filter((r) => r.status === 503)).toHaveLength(3);
});

test('a 429 with Retry-After: 2 is waited out', async ({ tab, shop, api }) => {
  await api.faults([{ status: 429, count: 1, retryAfter: 2 }]);
  await opened(tab, shop, api);
  await tab.evaluate(calls, burst(1, 'Limited'));
  await api.eventCount(1);
  const requests = await api.requests();
  expect(requests[0].status).toBe(429);
  const accepted = requests.filter((r) => r.status === 202);
  expect(Math.min(...accepted.map((r) => r.at)) - requests[0].at).toBeGreaterThanOrEqual(1900);
});

test("calls queued before klite loads, through Klaviyo's stub and _learnq, are delivered, identify first", async ({ tab, shop, api }) => {
  // The shop serves klite 800 ms late (`delay`): the page queues its calls meanwhile.
  const src = `'${shop.url}/dist/klite.js?delay=800&company_id=${KEY}&endpoint=${encodeURIComponent(api.url)}'`;
  await tab.goto(
    shop.page(`<!doctype html><html><head>
<script>var _learnq = _learnq || []; _learnq.push(['track', 'Legacy Event', { n: 1 }]);</script>
${stub(shop, api, src)}
<script>
window.early = !window.__klite;
window.results = [];
klaviyo.track('Stub Event', { n: 2 }, function (v) { results.push(['cb', v]); }).then(function (v) { results.push(['then', v]); });
klaviyo.push(['track', 'Pushed Event', { n: 3 }]);
_learnq.push(['identify', { $email: 'early@example.com' }]);
</script></head><body></body></html>`),
  );
  await ready(tab);
  expect(await tab.evaluate(() => window.early)).toBe(true);
  const events = await api.eventCount(3);
  expect(events.map((e) => e.metric).sort()).toEqual(['Legacy Event', 'Pushed Event', 'Stub Event']);
  expect(events.every((e) => e.profile.email === 'early@example.com')).toBe(true);
  await expect
    .poll(() => tab.evaluate(() => window.results))
    .toEqual([
      ['cb', true],
      ['then', true],
    ]);
  // `_learnq.push` runs synchronously once klite is there.
  expect(await tab.evaluate(() => (_learnq.push(['track', 'Sync']), _learnq.isIdentified()))).toBe(true);
  await api.eventCount(4);
});

test('three tabs share one queue: every event once, none sent twice', async ({ session, shop, api }) => {
  // Klaviyo answers slowly: a tab's send is in flight when the others want to send.
  await api.faults([{ latency: 1500, ms: 10_000 }]);
  const url = shop.page(plain(shop, api));
  const tabs = [];
  for (let t = 0; t < 3; t++) {
    const tab = await session.tab();
    await tab.goto(url);
    await ready(tab);
    tabs.push(tab);
  }
  await Promise.all(
    tabs.map((tab, t) =>
      tab.evaluate(async (t) => {
        await klaviyo.identify({ email: 'tabs@example.com' });
        for (let i = 0; i < 40; i++) klaviyo.track('Tab Event', { t, i });
      }, t),
    ),
  );
  const events = await api.eventCount(120, 40_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(120);
  expect((await api.counters()).duplicate).toBe(0);
});
