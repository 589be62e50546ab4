// Auto-capture on pages modelled on what each platform renders (e2e/fixtures/capture), with the
// real bundle in Chromium; what counts is what reached the local endpoint.
import { readFileSync } from 'node:fs';
import { test, expect, tag } from './fixtures.mjs';
import { NOT_PRODUCT_PAGES, PRODUCT_PAGES } from './fixtures/capture/expected.mjs';

test.use({ capture: true });

// Work stays off the interaction path: no klite script in any of these flows keeps the main
// thread busy LONG_MS (CPU time, from a trace: see long-tasks.mjs).
test.use({ longTaskGuard: true });
test.afterEach(async ({ kliteLongTasks }) => expect(await kliteLongTasks(), 'long klite tasks').toEqual([]));

const EMAIL = 'shopper@example.com';
const fixture = (name) => readFileSync(new URL(`./fixtures/capture/${name}.html`, import.meta.url), 'utf8');

/** Serves fixture pages at their storefront paths and answers the platforms' cart endpoints. */
async function shop(page, api, pages, { query, known = true } = {}) {
  if (known)
    await page.addInitScript(
      (email) => localStorage.getItem('klite:ids') || localStorage.setItem('klite:ids', JSON.stringify({ email })),
      EMAIL,
    );
  // Pages at their storefront paths on the endpoint's origin; klite.js and the endpoint under this test's prefix.
  const origin = new URL(api.url).origin;
  const own = (u) => /^\/t\/[^/]+\/(dist|client)\//.test(u.pathname);
  await page.route(
    (u) => u.origin == origin && !own(u),
    (route) => {
      const u = new URL(route.request().url());
      const name = Object.keys(pages).find((p) => (p.endsWith('*') ? u.pathname.startsWith(p.slice(0, -1)) : u.pathname == p));
      if (name) return route.fulfill({ contentType: 'text/html', body: fixture(pages[name]).replace('<!--KLITE-->', tag(api.url, query)) });
      route.fulfill({ contentType: 'application/json', body: '{}' });
    },
  );
  return (path) => page.goto(origin + path);
}

/** Where the storefront pages are: the endpoint's origin, without the test's prefix. */
const origin = (api) => new URL(api.url).origin;
const metrics = (events) => events.map((e) => e.metric).sort();
const one = (events, metric) => events.filter((e) => e.metric == metric);

const PRODUCTS = [
  {
    platform: 'Shopify (Dawn): JSON-LD completed by ShopifyAnalytics.meta; add by fetch /cart/add',
    file: 'shopify-product',
    path: '/products/trail-boot',
    quantity: 2,
    viewed: {
      ProductName: 'Trail Boot',
      ProductID: '7001',
      SKU: 'NW-BOOT-42',
      Categories: ['Boots'],
      ImageURL: 'https://northwind.example/cdn/shop/files/trail-boot.png?v=1&width=1920',
      URL: 'https://northwind.example/products/trail-boot',
      Brand: 'Northwind',
      Price: 129,
      Currency: 'USD',
    },
  },
  {
    platform: 'WooCommerce: JSON-LD @graph with priceSpecification (list price); form submit that reloads',
    file: 'woocommerce-product',
    path: '/shop/product/rain-jacket/',
    quantity: 3,
    viewed: {
      ProductName: 'Rain Jacket',
      ProductID: 'WR-RJ',
      SKU: 'WR-RJ',
      ImageURL: 'https://wren.example/wp-content/uploads/2026/03/rain-jacket.jpg',
      URL: 'https://wren.example/shop/product/rain-jacket/',
      Price: 89,
      CompareAtPrice: 119,
      Currency: 'EUR',
    },
  },
  {
    platform:
      'BigCommerce (Cornerstone): microdata with nested Brand and priceSpecification, BCData; add by fetch /remote/v1/cart/add with qty[]',
    file: 'bigcommerce-product',
    path: '/camp-mug/',
    quantity: 4,
    viewed: {
      ProductName: 'Camp Mug',
      ProductID: 'NW-MUG',
      SKU: 'NW-MUG',
      ImageURL: 'https://cdn11.bigcommerce.example/s-x/images/stencil/608x608/products/112/camp-mug.jpg',
      URL: '/camp-mug/',
      Brand: 'Northwind',
      Price: 14.5,
      Currency: 'USD',
    },
  },
  {
    platform: 'Magento (Luma): microdata, locale price; add by XHR with FormData to /checkout/cart/add',
    file: 'magento-product',
    path: '/camp-stove.html',
    quantity: 2,
    viewed: {
      ProductName: 'Camp Stove',
      ProductID: 'NW-STOVE',
      SKU: 'NW-STOVE',
      ImageURL: 'https://magento.example/media/catalog/product/cache/1/image/700x700/camp-stove.jpg',
      URL: '/camp-stove.html',
      Price: 1299,
      Currency: 'SEK',
    },
  },
];

for (const p of PRODUCTS) {
  test(`product page, ${p.platform}`, async ({ page, api }) => {
    const go = await shop(page, api, { [p.path]: p.file });
    await go(p.path);
    let events = await api.eventCount(2);
    expect(metrics(events)).toEqual(['Viewed Product', '__activity__']);
    const expected = { ...p.viewed, URL: p.viewed.URL.startsWith('/') ? origin(api) + p.viewed.URL : p.viewed.URL };
    const { $use_ip, $is_session_activity, ...viewed } = one(events, 'Viewed Product')[0].properties;
    expect(viewed).toEqual(expected);
    await expect
      .poll(async () => (await api.profiles()).find((x) => x.attributes.email == EMAIL)?.properties.$viewed_items?.[0])
      .toMatchObject({
        Title: expected.ProductName,
        ItemId: expected.ProductID,
        Url: expected.URL,
        Metadata: { Price: expected.Price },
        views: 1,
      });

    await page.fill('input[name=quantity], input[name=qty], input[name="qty[]"]', String(p.quantity));
    await page.click('form [type=submit]');
    // WooCommerce's form reloads the page: a new page view, whose events come too.
    events = await api.eventCount(p.file == 'woocommerce-product' ? 5 : 3);
    const added = one(events, 'Added to Cart');
    expect(added).toHaveLength(1);
    expect(added[0].value).toBeCloseTo(expected.Price * p.quantity);
    expect(added[0].properties).toMatchObject({
      AddedItemProductName: expected.ProductName,
      AddedItemProductID: expected.ProductID,
      AddedItemSKU: expected.SKU,
      AddedItemPrice: expected.Price,
      AddedItemQuantity: p.quantity,
      AddedItemURL: expected.URL,
      ItemNames: [expected.ProductName],
      CheckoutURL: origin(api) + '/checkout',
      Items: [
        {
          ProductID: expected.ProductID,
          SKU: expected.SKU,
          ProductName: expected.ProductName,
          Quantity: p.quantity,
          ItemPrice: expected.Price,
          RowTotal: expected.Price * p.quantity,
          ProductURL: expected.URL,
        },
      ],
    });
  });
}

test('a custom storefront with only OpenGraph product tags', async ({ page, api }) => {
  const go = await shop(page, api, { '/laterne': 'opengraph-product' });
  await go('/laterne');
  const { $use_ip, $is_session_activity, ...viewed } = one(await api.eventCount(2), 'Viewed Product')[0].properties;
  expect(viewed).toEqual({
    ProductName: 'Laterne aus Messing',
    ProductID: 'LAT-7',
    ImageURL: 'https://laden.example/bilder/laterne.jpg',
    URL: 'https://laden.example/laterne',
    Brand: 'Werkstatt Nord',
    Price: 1299,
    Currency: 'EUR',
  });
});

// More storefront shapes, with the Viewed Product test/capture/corpus.test.ts expects of them
// (fixtures/capture/expected.mjs): Viewed Product alone.
const row = (file) => [...PRODUCT_PAGES, ...NOT_PRODUCT_PAGES].find((r) => r.file == file);
for (const { file, url, viewed, urlIsPage } of ['prestashop17-product', 'squarespace-product', 'shopify-legacy-product'].map(row)) {
  const path = new URL(url).pathname;
  test(`product page: ${file}`, async ({ page, api }) => {
    const go = await shop(page, api, { [path]: file });
    await go(path);
    const { $use_ip, $is_session_activity, ...props } = one(await api.eventCount(2), 'Viewed Product')[0].properties;
    expect(props).toEqual({ ...viewed, URL: urlIsPage ? origin(api) + path : viewed.URL });
  });
}

for (const { file, url } of [
  'category-itemlist',
  'article',
  'related-carousel',
  'woocommerce-category',
  'prestashop17-category',
  'blog-post-product',
  'lookbook',
  'buying-guide',
].map(row)) {
  const path = new URL(url).pathname;
  test(`not a product page: ${file}`, async ({ page, api }) => {
    const go = await shop(page, api, { [path]: file });
    await go(path);
    const events = await api.eventCount(1);
    expect(events[0]).toMatchObject({
      metric: '__activity__',
      properties: { page: origin(api) + path, initial_page_path: path, browser: 'Chrome', kx_present: false },
    });
    await page.waitForTimeout(1500);
    await page.evaluate(() => klaviyo.flush());
    expect(metrics(await api.events())).toEqual(['__activity__']);
  });
}

test('WooCommerce archive: an AJAX add (XHR to ?wc-ajax=add_to_cart), then the checkout page sends Started Checkout once', async ({
  page,
  api,
}) => {
  const go = await shop(page, api, { '/product-category/outerwear/': 'woocommerce-category', '/checkout/': 'checkout' });
  await go('/product-category/outerwear/');
  await api.eventCount(1);
  await page.click('[data-product_id="312"]');
  await expect(page.locator('body[data-added=yes]')).toHaveCount(1);
  await page.click('[data-product_id="311"]');
  let events = await api.eventCount(3);
  const added = one(events, 'Added to Cart').sort((a, b) => a.properties.Items.length - b.properties.Items.length);
  expect(added.map((e) => e.properties.AddedItemProductID)).toEqual(['312', '311']);
  expect(added[1].properties).toMatchObject({
    AddedItemQuantity: 1,
    Items: [
      { ProductID: '312', Quantity: 1 },
      { ProductID: '311', Quantity: 1 },
    ],
  });

  await go('/checkout/');
  events = await api.eventCount(5);
  const checkout = one(events, 'Started Checkout');
  expect(checkout).toHaveLength(1);
  expect(checkout[0].properties).toMatchObject({
    CheckoutURL: origin(api) + '/checkout/',
    Items: [{ ProductID: '312' }, { ProductID: '311' }],
  });
  // Its $event_id is the cart's own id, not a per-call one (those carry the page id and a dot).
  expect(checkout[0].unique_id).toMatch(/^[0-9a-z]+$/);

  // The same checkout again (a reload): no second Started Checkout.
  await page.reload();
  events = await api.eventCount(6);
  expect(one(events, 'Started Checkout')).toHaveLength(1);
});

for (const navigationApi of [true, false]) {
  test(`headless single-page app (${navigationApi ? 'Navigation API' : 'history wrapped, no Navigation API'}): one Active on Site per new URL, one Viewed Product for late product data`, async ({
    page,
    api,
  }) => {
    if (!navigationApi) await page.addInitScript(() => Object.defineProperty(window, 'navigation', { value: undefined }));
    const go = await shop(page, api, { '/app/*': 'headless-spa' });
    await go('/app/');
    await api.eventCount(1);
    await page.click('text=Desk Lamp');
    // The product's JSON-LD arrives 1.5 s after the route changed.
    let events = await api.eventCount(3);
    const viewed = one(events, 'Viewed Product');
    expect(viewed[0].properties).toMatchObject({
      ProductName: 'Desk Lamp',
      ProductID: 'lamp-9',
      SKU: 'LM-DESK',
      Price: 59,
      Currency: 'GBP',
      URL: origin(api) + '/app/products/lamp',
    });
    await page.click('text=About');
    await page.evaluate(() => history.replaceState({}, '', location.href));
    await page.click('text=Reviews');
    await page.goBack();
    await page.goBack();
    events = await api.eventCount(6);
    const pages = one(events, '__activity__')
      .sort((a, b) => a.time.localeCompare(b.time) || a.received - b.received)
      .map((e) => e.properties.page.replace(origin(api), ''));
    expect(pages.sort()).toEqual(['/app/', '/app/about', '/app/products/lamp', '/app/products/lamp'].sort());
    expect(one(events, '__activity__').every((e) => e.properties.initial_page_path == '/app/')).toBe(true);
    // Back on the lamp (a new visit of its route), its JSON-LD renders again, late: one more view, then nothing.
    await page.waitForTimeout(2500);
    await page.evaluate(() => klaviyo.flush());
    expect(one(await api.events(), 'Viewed Product')).toHaveLength(2);
  });
}

test('identify from forms: email fields on submit, never a password, never an ignored form', async ({ page, api }) => {
  const go = await shop(page, api, { '/account': 'forms' }, { known: false });
  await go('/account');
  await page.fill('#staff input', 'staff@example.com');
  await page.click('#staff button');
  await page.fill('#login input[type=text]', 'returning@example.com');
  await page.fill('#login input[type=password]', 'hunter2-secret');
  await page.click('#login button');
  await expect.poll(async () => (await api.profiles()).map((p) => p.attributes.email)).toEqual(['returning@example.com']);
  // The anonymous visitor's Active on Site went with the identify.
  expect((await api.eventCount(1))[0].profile.email).toBe('returning@example.com');
  await page.fill('#newsletter input', 'news@example.com');
  await page.click('#newsletter button');
  await expect
    .poll(async () => (await api.profiles()).map((p) => p.attributes.email).sort())
    .toEqual(['news@example.com', 'returning@example.com']);
  const bodies = (await api.requests()).map((r) => JSON.stringify(r.body)).join('\n');
  expect(bodies).not.toContain('hunter2');
  expect(bodies).not.toContain('staff@example.com');
});

test('each capture can be turned off from the tag, and a merchant extractor reads a custom page', async ({ page, api }) => {
  let go = await shop(page, api, { '/products/trail-boot': 'shopify-product' }, { query: 'company_id=AbC123&no_capture=activity,cart' });
  await go('/products/trail-boot');
  await api.eventCount(1);
  await page.click('form [type=submit]');
  await expect(page.locator('body[data-added=yes]')).toHaveCount(1);
  await page.waitForTimeout(1200);
  await page.evaluate(() => klaviyo.flush());
  expect(metrics(await api.events())).toEqual(['Viewed Product']);

  await page.unrouteAll();
  await api.faults([]);
  await page.addInitScript(() => {
    window.kliteOptions = {
      capture: {
        activity: false,
        extract: (doc) => ({ ProductName: doc.querySelector('h1').textContent, ProductID: doc.body.dataset.pid }),
      },
    };
  });
  await page.route(origin(api) + '/custom/pdp', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<html><head>${tag(api.url)}</head><body data-pid="c-77"><h1>Custom Thing</h1></body></html>`,
    }),
  );
  await page.goto(origin(api) + '/custom/pdp');
  await expect
    .poll(async () => one(await api.events(), 'Viewed Product').map((e) => e.properties.ProductName))
    .toEqual(['Trail Boot', 'Custom Thing']);
  expect(one(await api.events(), 'Viewed Product')[1].properties).toMatchObject({ ProductID: 'c-77', URL: origin(api) + '/custom/pdp' });
  expect(one(await api.events(), '__activity__')).toHaveLength(0);
});

test("a shop's own checkout path (data-checkout-path), and the core-only bundle that captures nothing", async ({ page, api }) => {
  await page.addInitScript((email) => {
    localStorage.setItem('klite:ids', JSON.stringify({ email }));
    localStorage.setItem(
      'klite:cart',
      JSON.stringify({ id: 'cart9', items: [{ ProductID: 'p1', ProductName: 'Kaffee', Quantity: 2, ItemPrice: 9.5, RowTotal: 19 }] }),
    );
  }, EMAIL);
  const page1 = (src) =>
    `<html><head><script async src="${api.url}/dist/${src}" data-company-id="AbC123" data-endpoint="${api.url}" data-checkout-path="^/kasse"></script></head><body></body></html>`;
  await page.route(origin(api) + '/kasse/schritt-1', (route) => route.fulfill({ contentType: 'text/html', body: page1('klite.js') }));
  await page.goto(origin(api) + '/kasse/schritt-1');
  const events = await api.eventCount(2);
  expect(metrics(events)).toEqual(['Started Checkout', '__activity__']);
  expect(one(events, 'Started Checkout')[0]).toMatchObject({
    value: 19,
    unique_id: 'cart9',
    properties: { ItemNames: ['Kaffee'], CheckoutURL: origin(api) + '/kasse/schritt-1' },
  });

  await page.route(origin(api) + '/core/page', (route) => route.fulfill({ contentType: 'text/html', body: page1('klite.core.js') }));
  await page.goto(origin(api) + '/core/page');
  await page.waitForFunction(() => !!window.__klite);
  await page.evaluate(() => klaviyo.track('Hand-written'));
  await expect.poll(async () => metrics(await api.events())).toEqual(['Hand-written', 'Started Checkout', '__activity__']);
});
