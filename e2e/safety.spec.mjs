import { test, expect, KEY, tag, ready } from './fixtures.mjs';
import { html as page, stubScript } from './pages.mjs';

const html = (head) => page({ head: stubScript() + head, body: '<a id="next" href="next.html">next</a>' });

/** What klite left in the browser: its IndexedDB database, cookies, storage keys. */
const footprint = (page) =>
  page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    cookies: document.cookie,
    local: Object.keys(localStorage),
  }));

test('a private key sends nothing, stores nothing and says so once', async ({ page, api, open, logs }) => {
  await open(html(tag(api.url, 'company_id=pk_0123456789abcdef')));
  await ready(page);
  const results = await page.evaluate(async () => [
    await klaviyo.identify({ email: 'x@example.com' }),
    await klaviyo.track('Should Not Send'),
    await klaviyo.flush(),
  ]);
  expect(results[1]).toBe(false);
  await page.waitForTimeout(1500);
  expect(await api.requests()).toEqual([]);
  expect(await footprint(page)).toEqual({ databases: [], cookies: '', local: [] });
  const errors = logs.console.filter((l) => l.startsWith('error: klite:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('private API key refused');
});

test('without a key calls wait in memory until account() gives one', async ({ page, api, open }) => {
  await open(html(`<script async src="${api.url}/dist/klite.js?endpoint=${encodeURIComponent(api.url)}"></script>`));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'nokey@example.com' });
    klaviyo.track('Waiting');
  });
  await page.waitForTimeout(1500);
  expect(await api.requests()).toEqual([]);
  expect((await footprint(page)).databases).toEqual([]);
  expect(await page.evaluate((key) => klaviyo.account(key), KEY)).toBe(KEY);
  const [event] = await api.eventCount(1);
  expect(event).toMatchObject({ metric: 'Waiting', profile: { email: 'nokey@example.com' } });
});

test('the path form and data-company-id both configure the key; a second account is refused', async ({ page, api, open, logs }) => {
  await page.route('**/onsite/js/*/klite.js*', (route) => route.fulfill({ path: 'dist/klite.js', contentType: 'text/javascript' }));
  await open(html(`<script async src="${api.url}/onsite/js/${KEY}/klite.js" data-endpoint="${api.url}"></script>`));
  await ready(page);
  expect(await page.evaluate(() => klaviyo.account())).toBe(KEY);
  // Loaded again with another account: refused with a warning, the first keeps working.
  await page.evaluate(
    (url) =>
      new Promise((r) => {
        const s = document.createElement('script');
        s.src = url + '/dist/klite.js';
        s.dataset.companyId = 'Other1';
        s.onload = r;
        document.head.appendChild(s);
      }),
    api.url,
  );
  expect(await page.evaluate(() => klaviyo.account())).toBe(KEY);
  expect(logs.console.filter((l) => l.includes('account Other1 refused'))).toHaveLength(1);
  await page.evaluate(() => klaviyo.identify({ email: 'path@example.com' }).then(() => klaviyo.track('Path Form')));
  await api.eventCount(1);
});

test('IndexedDB unavailable: one warning, calls kept in memory and delivered, no error in the page', async ({ page, api, open, logs }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
  });
  await open(html(tag(api.url)));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'memory@example.com' });
    for (let i = 0; i < 3; i++) klaviyo.track('In Memory', { i });
  });
  await api.eventCount(3);
  expect(logs.console.filter((l) => l.includes('IndexedDB unavailable'))).toHaveLength(1);
});

test('calls a page could not write to IndexedDB before closing are rescued and delivered by the next page', async ({ page, api, open }) => {
  // IndexedDB is broken on the first page only (as when a closing page's write never finishes).
  await page.addInitScript(() => {
    if (location.pathname === '/shop/page.html')
      Object.defineProperty(window, 'indexedDB', {
        get() {
          throw new DOMException('blocked', 'SecurityError');
        },
      });
  });
  await open(html(tag(api.url)));
  await ready(page);
  // Anonymous: nothing can be sent yet, so only storage can carry these across the navigation.
  await page.evaluate(() => {
    klaviyo.track('Rescued', { n: 1 });
    klaviyo.track('Rescued', { n: 2 });
  });
  await page.route(api.url + '/shop/next.html', (route) => route.fulfill({ contentType: 'text/html', body: html(tag(api.url)) }));
  await page.click('#next');
  await ready(page);
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('klite:unsaved:')).length)).toBe(0);
  await page.evaluate(() => klaviyo.identify({ email: 'rescued@example.com' }));
  const events = await api.eventCount(2);
  expect(events.map((e) => e.properties.n).sort()).toEqual([1, 2]);
});

test('hostile properties are normalised, never thrown into the page', async ({ page, api, open, logs }) => {
  await open(html(tag(api.url)));
  await ready(page);
  const results = await page.evaluate(async () => {
    const circular = { name: 'loop' };
    circular.self = circular;
    return [
      await klaviyo.identify({ email: 'hostile@example.com' }),
      await klaviyo.track('Hostile', { circular, big: 10n, fn() {}, when: new Date(0), nan: NaN, node: document.body }),
      await klaviyo.track(42),
      await klaviyo.track(''),
      await klaviyo.track(
        'Getter',
        Object.defineProperty({}, 'boom', {
          enumerable: true,
          get() {
            throw new Error('boom');
          },
        }),
      ),
    ];
  });
  expect(results.slice(1)).toEqual([true, false, false, true]);
  const events = await api.eventCount(2);
  const hostile = events.find((e) => e.metric === 'Hostile');
  expect(hostile.properties).toMatchObject({ circular: { name: 'loop' }, big: '10', when: '1970-01-01T00:00:00.000Z', nan: null });
  expect(hostile.properties.circular.self).toBeUndefined();
  expect(logs.console.some((l) => l.includes('track() needs a metric name'))).toBe(true);
});

test('a callback that throws, and push() of junk, never reach the page', async ({ page, api, open }) => {
  await open(html(tag(api.url)));
  await ready(page);
  const value = await page.evaluate(async () => {
    klaviyo.push(['nonsense'], 42, null, function () {
      throw new Error('merchant bug');
    });
    return klaviyo.isIdentified(function () {
      throw new Error('callback bug');
    });
  });
  expect(value).toBe(false);
});

test('a hidden page sends at once, with no unload listener', async ({ page, api, open }) => {
  await page.addInitScript(() => {
    window.listened = [];
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, ...rest) {
      window.listened.push(type);
      return add.call(this, type, ...rest);
    };
  });
  await open(html(tag(api.url)));
  await ready(page);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'leaving@example.com' });
    for (let i = 0; i < 3; i++) klaviyo.track('Before Leaving', { i });
  });
  const listened = await page.evaluate(() => window.listened);
  expect(listened).toEqual(expect.arrayContaining(['pagehide', 'visibilitychange']));
  expect(listened).not.toContain('unload');
  expect(listened).not.toContain('beforeunload');
  // Navigate away within the debounce: only the pagehide/visibilitychange send can carry them.
  const t0 = Date.now();
  await page.click('#next');
  await api.eventCount(3);
  expect(Date.now() - t0).toBeLessThan(5000);
  const requests = await api.requests();
  expect(requests.length).toBeLessThanOrEqual(3);
});

test('what a closing page could not deliver is sent by the next page view', async ({ page, api, open }) => {
  await open(html(tag(api.url)));
  await ready(page);
  await api.faults([{ status: 503 }]);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'next@example.com' });
    klaviyo.track('Left Behind');
  });
  await page.route(api.url + '/shop/next.html', (route) => route.fulfill({ contentType: 'text/html', body: html(tag(api.url)) }));
  await page.click('#next');
  await expect.poll(async () => (await api.requests()).length).toBeGreaterThan(0);
  await api.faults([]);
  const [event] = await api.eventCount(1);
  expect(event.metric).toBe('Left Behind');
});

test('__kla_off=true turns tracking off', async ({ page, api, open, context }) => {
  await context.addCookies([{ name: '__kla_off', value: 'true', url: api.url }]);
  await open(html(tag(api.url)));
  await ready(page);
  expect(await page.evaluate(() => klaviyo.identify({ email: 'off@example.com' }).then(() => klaviyo.track('Off')))).toBe(false);
  await page.waitForTimeout(1500);
  expect(await api.requests()).toEqual([]);
});

test('reset() forgets the visitor; the __kla_id cookie is klaviyo.js-compatible', async ({ page, api, open }) => {
  await open(html(tag(api.url)));
  await ready(page);
  const cookie = async () =>
    JSON.parse(
      Buffer.from(decodeURIComponent((await page.context().cookies()).find((c) => c.name === '__kla_id').value), 'base64').toString(),
    );
  // Written when klite starts (here: at the first call).
  await page.evaluate(() => klaviyo.identify({ email: 'first@example.com' }));
  const before = await cookie();
  expect(before.cid).toMatch(/^[a-z0-9]{10,}$/);
  expect(await page.evaluate(() => klaviyo.isIdentified())).toBe(true);
  expect(JSON.stringify(await cookie())).not.toContain('first@example.com');
  await page.evaluate(() => localStorage.setItem('klite:cart', '{"id":"c","items":[]}'));
  await page.evaluate(() => klaviyo.trackViewedItem({ Title: 'Boot', ItemId: 'b1' }));
  await page.evaluate(() => klaviyo.reset());
  expect(await page.evaluate(() => klaviyo.isIdentified())).toBe(false);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => /^klite:(ids|viewed|cart)$/.test(k)))).toEqual([]);
  expect((await cookie()).cid).not.toBe(before.cid);
  await page.evaluate(() => klaviyo.track('After Reset'));
  await page.waitForTimeout(1500);
  expect((await api.events()).filter((e) => e.metric === 'After Reset')).toEqual([]);
});

test('trackViewedItem keeps the recently viewed list and sends it as $viewed_items', async ({ page, api, open }) => {
  await open(html(tag(api.url)));
  await ready(page);
  await page.evaluate(async () => {
    await klaviyo.identify({ email: 'viewer@example.com' });
    await klaviyo.trackViewedItem({ Title: 'Boot', ItemId: 1, Url: '/boot', Metadata: { Price: 90 } });
    await klaviyo.trackViewedItem({ Title: 'Hat', ItemId: 2 });
    await klaviyo.trackViewedItem({ Title: 'Boot', ItemId: 1 });
  });
  await expect
    .poll(async () => (await api.profiles())[0]?.properties?.$viewed_items?.map((i) => [i.ItemId, i.views]))
    .toEqual([
      [1, 2],
      [2, 1],
    ]);
});

test('site data cleared mid-session: what the page holds in memory is still delivered, no error', async ({
  page,
  api,
  open,
  context,
  logs,
}) => {
  await open(html(tag(api.url)));
  await ready(page);
  // Klaviyo is down, so the calls wait in the queue (IndexedDB and memory) when the data goes.
  await api.faults([{ status: 503, ms: 4000 }]);
  await page.evaluate(() => {
    klaviyo.identify({ email: 'cleared@example.com' });
    for (let i = 0; i < 5; i++) klaviyo.track('Before Clearing', { i });
  });
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).length)).toBe(1);
  await page.waitForTimeout(500);
  // What "Clear site data" does: every storage of the origin goes, open IndexedDB connections are closed.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(api.url).origin, storageTypes: 'all' });
  await page.evaluate(() => {
    for (let i = 0; i < 3; i++) klaviyo.track('After Clearing', { i });
  });
  const events = await api.eventCount(8, 30_000);
  expect(events.filter((e) => e.metric === 'Before Clearing')).toHaveLength(5);
  expect(logs.errors).toEqual([]);
});

test('a quota error mid-session: one warning, the calls stay in memory and are delivered, no error', async ({ page, api, open, logs }) => {
  // The origin's storage fills up after the first write: every later write fails as a full disk does.
  await page.addInitScript(() => {
    let writes = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...a) {
      if (++writes > 1) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, a);
    };
  });
  await open(html(tag(api.url)));
  await ready(page);
  await page.evaluate(() => klaviyo.identify({ email: 'quota@example.com' }));
  await api.faults([{ status: 503, count: 1 }]);
  await page.evaluate(() => {
    for (let i = 0; i < 4; i++) klaviyo.track('Over Quota', { i });
  });
  const events = await api.eventCount(4, 30_000);
  expect(events.map((e) => e.properties.i).sort()).toEqual([0, 1, 2, 3]);
  expect(logs.console.filter((l) => l.includes('IndexedDB unavailable'))).toHaveLength(1);
});
