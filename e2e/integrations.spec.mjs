// Integrations as the platform renders them: BigCommerce adds a Scripts API script's `html` to the
// page's <head> as it is (integrations/bigcommerce/script.mjs); klite must load and track from it.
import { test, expect, KEY } from './fixtures.mjs';
import { bigcommerceScript } from '../integrations/bigcommerce/script.mjs';

// As installed on a shop: auto-capture on.
test.use({ capture: true });

test('BigCommerce: the Scripts API payload, rendered in a storefront head, runs klite', async ({ page, api, open }) => {
  const { html } = bigcommerceScript({ companyId: KEY, src: api.url + '/dist/klite.js', endpoint: api.url });
  // A Cornerstone-like product page: BCData and the markup klite reads.
  await open(`<!doctype html><html><head>${html}
<script>window.BCData = { product_attributes: { sku: 'BC-1', price: { with_tax: { value: 42, currency: 'USD' } } } };</script>
<meta property="og:type" content="product"><meta property="og:title" content="Canvas Tote"></head>
<body><h1>Canvas Tote</h1><script>klaviyo.identify({ email: 'bigcommerce@example.com' });</script></body></html>`);
  const events = await api.eventCount(2);
  const viewed = events.find((e) => e.metric == 'Viewed Product');
  expect(viewed.properties).toMatchObject({ ProductName: 'Canvas Tote', SKU: 'BC-1', Price: 42 });
  expect(events.every((e) => e.profile.email == 'bigcommerce@example.com')).toBe(true);
});
