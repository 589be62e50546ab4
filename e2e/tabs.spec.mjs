// Tabs of one shop share one IndexedDB queue; one of them sends at a time (Web Locks), others
// nudge it (a storage event, tabs.ts), and what one tab delivered is never sent again by another.
import { test, expect, tag, ready } from './fixtures.mjs';

const html = (url) => `<!doctype html><html><head>${tag(url)}</head><body></body></html>`;

test('three tabs: every event once, and no tab sends what another tab is sending or has delivered', async ({ context, api }) => {
  await context.route(api.url + '/shop/*', (route) => route.fulfill({ contentType: 'text/html', body: html(api.url) }));
  // Klaviyo answers slowly, so a tab's send is still in flight when the others start and want to send.
  await api.faults([{ latency: 1500, ms: 10_000 }]);
  const open = async (t) => {
    const page = await context.newPage();
    await page.goto(api.url + `/shop/tab${t}.html`);
    await ready(page);
    return page;
  };
  const track = (page, t) =>
    page.evaluate(async (t) => {
      await klaviyo.identify({ email: 'tabs@example.com' });
      for (let i = 0; i < 40; i++) klaviyo.track('Tab Event', { t, i });
    }, t);
  const a = await open(0);
  await track(a, 0);
  // a's 40 calls are in IndexedDB and on their way; b and c start now and find them there.
  await a.waitForTimeout(1300);
  const [b, c] = [await open(1), await open(2)];
  await Promise.all([track(b, 1), track(c, 2)]);
  const events = await api.eventCount(120, 30_000);
  expect(new Set(events.map((e) => e.unique_id)).size).toBe(120);
  // No event went out twice: each was in exactly one accepted request, none came back as a duplicate.
  expect((await api.counters()).duplicate).toBe(0);
  const sent = (await api.requests())
    .filter((r) => r.path.includes('event') && r.status < 300)
    .map((r) => JSON.parse(r.body).data)
    .flatMap((d) => (d.type == 'event' ? [d.attributes.unique_id] : d.attributes.events.data.map((e) => e.attributes.unique_id)));
  expect(sent.length).toBe(120);
});

test("a tab's pause after a 429 is every tab's pause", async ({ context, api }) => {
  await context.route(api.url + '/shop/*', (route) => route.fulfill({ contentType: 'text/html', body: html(api.url) }));
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const [i, p] of [a, b].entries()) {
    await p.goto(api.url + `/shop/p${i}.html`);
    await ready(p);
    await p.evaluate(() => klaviyo.identify({ email: 'pause@example.com' }));
  }
  await expect.poll(async () => (await api.requests()).filter((r) => r.path.includes('profiles') && r.status < 300).length).toBe(2);
  await api.faults([{ status: 429, retryAfter: 3, count: 1, match: 'First' }]);
  await a.evaluate(() => klaviyo.track('First'));
  await expect.poll(async () => (await api.requests()).filter((r) => r.status == 429).length).toBe(1);
  const refusedAt = Date.now();
  // Tab b learns the pause from a's storage event: its call waits for the Retry-After too.
  await b.evaluate(() => klaviyo.track('Second'));
  await api.eventCount(2);
  const requests = (await api.requests()).filter((r) => r.path.includes('event'));
  const afterPause = requests.filter((r) => r.status < 300);
  expect(Math.min(...afterPause.map((r) => r.at))).toBeGreaterThanOrEqual(refusedAt + 1500);
  expect(requests.filter((r) => r.status == 429)).toHaveLength(1);
});
