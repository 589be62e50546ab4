// Shopify: the theme app extension's app embed block (integrations/shopify), rendered as a
// storefront renders it (integrations/shopify/render.mjs: liquidjs with Shopify's filters and
// objects) into a Dawn-like page's <head>; klite loads from it and tracks from Shopify's product.
import { test, expect, KEY } from '../fixtures.mjs';
import { renderEmbed } from '../../integrations/shopify/render.mjs';

// As installed on a shop: auto-capture on (the block's defaults).
test.use({ capture: true });

/** A product as Shopify's `product | json` states it: prices in cents, images protocol-relative. */
const PRODUCT = {
  id: 7512345678901,
  title: 'Canvas Tote',
  handle: 'canvas-tote',
  description: '<p>Waxed canvas.</p>',
  vendor: 'Northwind',
  type: 'Bags',
  tags: ['canvas'],
  price: 2500,
  price_min: 2500,
  price_max: 2990,
  available: true,
  price_varies: true,
  compare_at_price: 3500,
  compare_at_price_min: 3500,
  compare_at_price_max: 3500,
  compare_at_price_varies: false,
  variants: [
    {
      id: 43100000000001,
      title: 'Sand',
      option1: 'Sand',
      sku: 'TOTE-SAND',
      featured_image: null,
      available: true,
      name: 'Canvas Tote - Sand',
      public_title: 'Sand',
      options: ['Sand'],
      price: 2500,
      compare_at_price: null,
    },
    {
      id: 43100000000002,
      title: 'Olive',
      option1: 'Olive',
      sku: 'TOTE-OLIVE',
      featured_image: null,
      available: true,
      name: 'Canvas Tote - Olive',
      public_title: 'Olive',
      options: ['Olive'],
      price: 2990,
      compare_at_price: 3500,
    },
  ],
  images: ['//cdn.shopify.com/s/files/1/0000/0001/products/tote.jpg?v=1700000000'],
  featured_image: '//cdn.shopify.com/s/files/1/0000/0001/products/tote.jpg?v=1700000000',
  options: ['Color'],
};
const OLIVE = PRODUCT.variants[1];
const PATH = `/products/canvas-tote?variant=${OLIVE.id}`;

/**
 * Shopify's own analytics globals as a storefront's content_for_header sets them: less than the
 * block states (no title, no image), and the FIRST variant's SKU and price. Klite reads them last,
 * so a SKU or price from here means the block's product was not read first.
 */
const analytics = `<script>window.ShopifyAnalytics = window.ShopifyAnalytics || {}; window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {};
window.ShopifyAnalytics.meta.currency = 'USD';
var meta = ${JSON.stringify({
  product: {
    id: PRODUCT.id,
    gid: `gid://shopify/Product/${PRODUCT.id}`,
    vendor: 'Northwind',
    type: 'Bags',
    variants: PRODUCT.variants.map((v) => ({ id: v.id, price: v.price, name: v.name, public_title: v.public_title, sku: v.sku })),
  },
  page: { pageType: 'product', resourceType: 'product', resourceId: PRODUCT.id },
})};
for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }</script>`;

/** A Dawn-like product page: Shopify's head (analytics, then the app embed blocks), the product form. */
const productPage = (embed) => `<!doctype html><html><head><meta charset="utf-8"><title>Canvas Tote</title>
${analytics}
${embed}</head>
<body><main><h1>Canvas Tote</h1><div class="price">$29.90</div>
<form method="post" action="/cart/add" data-type="add-to-cart-form"><input type="hidden" name="id" value="${OLIVE.id}">
<input type="number" name="quantity" value="2"><button type="submit" name="add">Add to cart</button></form></main></body></html>`;

/** What Shopify's Ajax API answers to POST /cart/add.js with `items`: the line items added. */
const cartAddAnswer = (route) =>
  route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      items: [
        {
          id: OLIVE.id,
          variant_id: OLIVE.id,
          product_id: PRODUCT.id,
          quantity: 2,
          key: `${OLIVE.id}:1`,
          title: OLIVE.name,
          price: OLIVE.price,
          sku: OLIVE.sku,
        },
      ],
    }),
  });

const embedFor = (api, options = {}) =>
  renderEmbed({
    settings: { company_id: KEY, endpoint: api.url, ...options.settings },
    assetBase: api.url + '/dist',
    ...options,
  });

test('Shopify app embed: identifies the customer, Viewed Product from Shopify’s product JSON (selected variant, units), Added to Cart', async ({
  page,
  api,
  open,
}) => {
  const embed = embedFor(api, {
    pageType: 'product',
    product: PRODUCT,
    variant: OLIVE.id,
    customer: { id: 6001, email: 'shopper@example.com' },
  });
  await page.route('**/cart/add.js', cartAddAnswer);
  await open(productPage(embed), PATH);

  const events = await api.eventCount(2);
  const viewed = events.find((e) => e.metric == 'Viewed Product');
  const { $use_ip, $is_session_activity, ...properties } = viewed.properties;
  expect(properties).toEqual({
    ProductName: 'Canvas Tote',
    ProductID: '7512345678901',
    SKU: 'TOTE-OLIVE',
    Categories: ['Bags'],
    ImageURL: 'https://cdn.shopify.com/s/files/1/0000/0001/products/tote.jpg?v=1700000000',
    URL: `${new URL(api.url).origin}/products/canvas-tote?variant=${OLIVE.id}`,
    Brand: 'Northwind',
    Price: 29.9,
    CompareAtPrice: 35,
    Currency: 'USD',
  });
  // The logged-in customer, from Liquid: every event is theirs.
  expect(events.every((e) => e.profile.email == 'shopper@example.com')).toBe(true);

  // Dawn's product form posts to the Ajax API; Shopify answers with the line items.
  await page.evaluate(
    (id) =>
      fetch('/cart/add.js', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ items: [{ id, quantity: 2 }] }),
      }),
    OLIVE.id,
  );
  const added = (await api.eventCount(3)).find((e) => e.metric == 'Added to Cart');
  expect(added.properties).toMatchObject({
    AddedItemProductName: 'Canvas Tote',
    AddedItemProductID: '7512345678901',
    AddedItemSKU: 'TOTE-OLIVE',
    AddedItemPrice: 29.9,
    AddedItemQuantity: 2,
  });
  expect(added.value).toBeCloseTo(59.8);
  expect(added.profile.email).toBe('shopper@example.com');
});

test("Shopify app embed: Shopify's Customer Privacy API holds every call until the visitor agrees", async ({ page, api, open }) => {
  // Shopify's API as its cookie banner leaves it before the visitor answers (consent required,
  // no answer yet); setTrackingConsent records the answer and dispatches visitorConsentCollected.
  await page.addInitScript(() => {
    let analytics = '';
    window.Shopify = {
      customerPrivacy: {
        userCanBeTracked: () => analytics == 'yes',
        currentVisitorConsent: () => ({ marketing: analytics, analytics, preferences: analytics, sale_of_data: analytics }),
        setTrackingConsent(consent, done) {
          analytics = consent.analytics ? 'yes' : 'no';
          const detail = {
            analyticsAllowed: !!consent.analytics,
            marketingAllowed: !!consent.marketing,
            preferencesAllowed: !!consent.preferences,
            saleOfDataAllowed: !!consent.sale_of_data,
          };
          document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail }));
          done?.();
        },
      },
    };
  });
  const embed = embedFor(api, {
    pageType: 'product',
    product: PRODUCT,
    variant: OLIVE.id,
    customer: { id: 6001, email: 'shopper@example.com' },
  });
  await open(productPage(embed), PATH);
  await page.waitForFunction(() => !!window.__klite);
  expect(await page.evaluate(() => klaviyo.consent())).toBe('pending');
  // klite looks at the page about a second after load; nothing may leave before the answer.
  await page.waitForTimeout(2500);
  expect(await api.requests()).toEqual([]);

  await page.evaluate(() =>
    Shopify.customerPrivacy.setTrackingConsent({ analytics: true, marketing: true, preferences: true, sale_of_data: true }, () => {}),
  );
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric).sort()).toEqual(['Viewed Product', '__activity__']);
  expect(events.find((e) => e.metric == 'Viewed Product').properties).toMatchObject({
    ProductID: '7512345678901',
    SKU: 'TOTE-OLIVE',
    Price: 29.9,
  });
  expect(events.every((e) => e.profile.email == 'shopper@example.com')).toBe(true);
});
