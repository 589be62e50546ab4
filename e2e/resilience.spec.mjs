import { test, expect, tag, ready } from './fixtures.mjs';
import { html as page, stubCode, stubScript } from './pages.mjs';

const html = (url) => page({ head: stubScript() + tag(url) });

test("a profile that keeps failing never holds back another's events", async ({ page, api, open }) => {
  await api.faults([{ status: 503, count: 3, match: 'stuck@example.com' }]);
  await open(html(api.url));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.track('Stuck', { who: 'stuck' });
    klaviyo.identify({ email: 'stuck@example.com' });
  });
  // A second person in the same queue: identified by external_id in the call itself (another tab's user, say).
  await page.evaluate(() => {
    klaviyo.identify({ email: 'free@example.com' });
    klaviyo.track('Free', { who: 'free' });
  });
  const first = await api.eventCount(1);
  expect(first[0].metric).toBe('Free');
  const all = await api.eventCount(2, 40_000);
  expect(all.map((e) => e.metric).sort()).toEqual(['Free', 'Stuck']);
});

test('a refused profile is dropped with its warning; another profile still goes', async ({ page, api, open, logs }) => {
  await api.faults([{ status: 400, match: 'refused@example.com' }]);
  await open(html(api.url));
  await ready(page);
  await page.evaluate(async () => {
    await klaviyo.identify({ email: 'refused@example.com' });
    klaviyo.track('Refused A');
    klaviyo.track('Refused B');
    await klaviyo.identify({ email: 'accepted@example.com' });
    klaviyo.track('Accepted');
  });
  const [event] = await api.eventCount(1);
  expect(event.metric).toBe('Accepted');
  await expect.poll(() => page.evaluate(() => klaviyo.flush())).toBe(0);
  expect(logs.console.filter((l) => l.includes('refused by Klaviyo')).length).toBe(1);
});

test('a dropped connection and a request that never answers are retried', async ({ page, api, open }) => {
  test.slow();
  await api.faults([
    { drop: true, count: 1 },
    { latency: 17_000, count: 1 },
  ]);
  await open(html(api.url));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'slow@example.com' });
    klaviyo.track('Eventually');
  });
  const [event] = await api.eventCount(1, 60_000);
  expect(event.metric).toBe('Eventually');
  const statuses = (await api.requests()).map((r) => r.status);
  expect(statuses[0]).toBe('dropped');
});

test("pasted into a tag manager's Custom HTML tag, the stub loads klite itself", async ({ page, api, open }) => {
  await open('<!doctype html><html><head></head><body></body></html>');
  // GTM inserts the tag's scripts into the DOM after the page loaded.
  await page.evaluate(
    (code) => {
      const s = document.createElement('script');
      s.text = code + "\nklaviyo.identify({ email: 'gtm@example.com' }); klaviyo.track('From GTM');";
      document.body.appendChild(s);
    },
    stubCode(`'${api.url}/dist/klite.js?company_id=AbC123&endpoint=${encodeURIComponent(api.url)}'`),
  );
  const [event] = await api.eventCount(1);
  expect(event).toMatchObject({ metric: 'From GTM', profile: { email: 'gtm@example.com' } });
});

test('if klite never loads, stub Promises reject after the timeout, and calls nobody awaits stay silent', async ({ page, api, open }) => {
  test.slow();
  await open(`<!doctype html><html><head>${stubScript(`'${api.url}/dist/missing.js'`)}
<script>
klaviyo.track('Fire and forget');
window.outcome = klaviyo.isIdentified().then(() => 'resolved', (e) => 'rejected: ' + e.message);
</script></head><body></body></html>`);
  expect(await page.evaluate(() => window.outcome)).toBe('rejected: klite not loaded');
  expect(await page.evaluate(() => JSON.stringify(window.klaviyo))).toBe('{}');
  expect(await page.evaluate(() => window._klOnsite.length)).toBe(2);
});

test('a bulk request answered 413 is split: every event still goes, none is dropped', async ({ page, api, open, logs }) => {
  await api.faults([{ status: 413, count: 1, match: 'event-bulk-create' }]);
  await open(html(api.url));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'split@example.com' });
    for (let i = 0; i < 5; i++) klaviyo.track('Split', { i });
  });
  const events = await api.eventCount(5);
  expect(events.map((e) => e.properties.i).sort()).toEqual([0, 1, 2, 3, 4]);
  const requests = (await api.requests()).filter((r) => r.path.includes('event'));
  expect(requests.filter((r) => r.status === 413).map((r) => r.path)).toEqual(['/client/event-bulk-create']);
  expect(requests.filter((r) => r.path === '/client/events' && r.status < 300)).toHaveLength(5);
  expect(logs.console.filter((l) => l.includes('refused by Klaviyo'))).toEqual([]);
});

test('a batch repeating an event Klaviyo already has does not wedge the queue', async ({ page, api, open }) => {
  await open(html(api.url));
  await ready(page);
  // The first copy arrives (as when a closing page's request got through but its answer was lost)…
  await page.evaluate(() => klaviyo.identify({ email: 'again@example.com' }).then(() => klaviyo.track('Order', { $event_id: 'order-1' })));
  await api.eventCount(1);
  // …and is sent again together with new events.
  await page.evaluate(() => {
    klaviyo.track('Order', { $event_id: 'order-1' });
    klaviyo.track('Other', { n: 1 });
    klaviyo.track('Other', { n: 2 });
  });
  const events = await api.eventCount(3);
  expect(events.map((e) => e.metric).sort()).toEqual(['Order', 'Other', 'Other']);
  await expect.poll(() => page.evaluate(() => klaviyo.flush())).toBe(0);
  expect((await api.counters()).duplicate).toBe(1);
});
