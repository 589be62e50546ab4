// klite's start-up waits for what needs it (src/settle.ts, api.ts): a page that makes no call pays
// nothing for klite while it loads; a call (auto-capture's too) or QUIET ms after load start it.
import { test, expect, tag, ready } from './fixtures.mjs';

test.use({ capture: true });

/** QUIET in src/settle.ts. */
const QUIET = 3000;
const EMAIL = 'reader@example.com';

/** What klite has left in this browser so far: its cookie, its database. */
const footprint = (page) =>
  page.evaluate(async () => ({
    cookie: document.cookie.includes('__kla_id'),
    database: (await indexedDB.databases()).some((d) => d.name == 'klite-v1'),
  }));

/** Milliseconds since the page's load event. */
const sinceLoad = (page) => page.evaluate(() => performance.now() - performance.getEntriesByType('navigation')[0].loadEventEnd);

test('a page that makes no call: nothing until QUIET ms after load, then the page view', async ({ page, api, open }) => {
  // An identified visitor (utm_email), so the page view is sent.
  await open(`<html><head>${tag(api.url)}</head><body><p>article</p></body></html>`, `/shop/read.html?utm_email=${EMAIL}`);
  await ready(page);
  await page.waitForTimeout(QUIET / 2);
  expect(await footprint(page)).toEqual({ cookie: false, database: false });
  expect(await api.requests()).toEqual([]);
  const [view] = await api.eventCount(1);
  expect(view).toMatchObject({ metric: '__activity__', profile: { email: EMAIL } });
  expect(await footprint(page)).toEqual({ cookie: true, database: true });
  // Not before QUIET: the first request left about a second (the batching delay) after start-up.
  expect(await sinceLoad(page)).toBeGreaterThan(QUIET);
});

test("auto-capture listens from the start: a first click's add to cart is seen, and starts klite", async ({ page, api, open }) => {
  await open(
    `<html><head>${tag(api.url)}</head><body>
<form action="/cart/add" method="post" onsubmit="event.preventDefault(); fetch('/cart/add.js', { method: 'POST', body: new FormData(this) })">
<input type="hidden" name="id" value="4001"><input type="hidden" name="quantity" value="2"><button>Add</button></form></body></html>`,
    `/shop/item.html?utm_email=${EMAIL}`,
  );
  await page.route('**/cart/add.js', (route) => route.fulfill({ contentType: 'application/json', body: '{}' }));
  await ready(page);
  await page.click('button');
  await page.waitForFunction(() => document.cookie.includes('__kla_id'));
  // Well before the QUIET fallback: the add to cart started it.
  expect(await sinceLoad(page)).toBeLessThan(QUIET);
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric).sort()).toEqual(['Added to Cart', '__activity__']);
  expect(events.find((e) => e.metric == 'Added to Cart').properties).toMatchObject({ AddedItemQuantity: 2 });
});

test('a visitor who leaves before klite started: the page view and the product leave with the page', async ({ page, api, open }) => {
  const product = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: 'Quick Boot',
    sku: 'QB-1',
    offers: { price: '80.00', priceCurrency: 'EUR' },
  };
  await open(
    `<html><head>${tag(api.url)}<script type="application/ld+json">${JSON.stringify(product)}</script></head><body><h1>Quick Boot</h1></body></html>`,
    `/shop/quick-boot.html?utm_email=${EMAIL}`,
  );
  await ready(page);
  expect(await footprint(page)).toEqual({ cookie: false, database: false });
  await page.goto('about:blank');
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric).sort()).toEqual(['Viewed Product', '__activity__']);
  expect(events.find((e) => e.metric == 'Viewed Product')).toMatchObject({
    profile: { email: EMAIL },
    properties: { ProductName: 'Quick Boot', SKU: 'QB-1' },
  });
});
