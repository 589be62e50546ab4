// The WordPress / WooCommerce plugin in a browser: a WordPress site made of the plugin's own PHP,
// run request by request by test/integrations/wordpress/render.php (over stubs of WordPress and
// WooCommerce), answering the page's requests through page.route: its pages' heads, the classic
// `?wc-ajax=add_to_cart`, the Store API cart, the plugin's browser side. klite (dist/klite.js,
// served by the local endpoint) must identify the customer and track each add exactly once.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, expect, KEY } from '../fixtures.mjs';

// As installed on a shop: auto-capture on (the plugin turns klite's cart and checkout off).
test.use({ capture: true });

const root = new URL('../../', import.meta.url).pathname;
const EMAIL = 'wp.customer@example.com';
const products = {
  311: { name: 'Rain Jacket', sku: 'WR-RJ', price: 89.5, url: 'https://wren.example/product/rain-jacket/', categories: ['Outerwear'] },
  312: { name: 'Fleece', sku: 'WR-FL', price: 49, url: 'https://wren.example/product/fleece/', categories: ['Outerwear'] },
};

/** One request of the WordPress site; the site's state (options, session, cart) goes on to the next. */
function wordpress(api) {
  let state = {
    options: { klite_settings: { company_id: KEY, src: api.url + '/dist/klite.js', endpoint: api.url } },
  };
  return (request, { cookies = {}, page = 'home' } = {}) => {
    const run = spawnSync('php', [root + 'test/integrations/wordpress/render.php'], {
      input: JSON.stringify({ home: api.url, woocommerce: true, products, user: { email: EMAIL }, page, cookies, ...state, request }),
      encoding: 'utf8',
    });
    if (run.error || run.status !== 0)
      throw new Error(`render.php: ${run.error?.message || run.stderr} (php-cli is needed: apt-get install php-cli)`);
    const result = JSON.parse(run.stdout);
    state = result.state;
    return result.output;
  };
}

/** The browser's cookies for the site, as PHP's $_COOKIE. */
const cookiesOf = (header = '') =>
  Object.fromEntries(
    header
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => c.split('=').map(decodeURIComponent)),
  );

/**
 * Routes the site's endpoints to the plugin: the classic AJAX add, the Store API (add-item, cart)
 * and the plugin's browser side (its real file).
 */
async function serve(page, api, site) {
  await page.route(api.url + '/?wc-ajax=add_to_cart', async (route) => {
    const body = new URLSearchParams(route.request().postData() || '');
    const output = site(
      { type: 'ajax_add', product_id: +body.get('product_id'), quantity: +body.get('quantity') || 1 },
      { cookies: cookiesOf(route.request().headers().cookie) },
    );
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify(output) });
  });
  await page.route(api.url + '/wp-json/wc/store/v1/**', async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname.replace(/^.*\/wp-json/, '');
    const output = site(
      { type: 'store_api', method: req.method(), path, body: req.postDataJSON() || {} },
      { cookies: cookiesOf(req.headers().cookie) },
    );
    await route.fulfill({ status: output.status, contentType: 'application/json', body: JSON.stringify(output.body) });
  });
  await page.route(api.url + '/wp-content/plugins/klite/assets/klite-woocommerce.js*', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: readFileSync(root + 'integrations/wordpress/klite/assets/klite-woocommerce.js', 'utf8'),
    }),
  );
}

/**
 * jQuery is not available offline: this is the one part of it WooCommerce's events use, with
 * jQuery's semantics: `$(el).on(type, handler)`, and `$(el).trigger(type, [extra…])` calling each
 * handler with a jQuery event object, then the extra parameters.
 */
const JQUERY_SHIM = `<script>window.jQuery = function (el) {
  var handlers = (el.__jq = el.__jq || {});
  return {
    on: function (type, fn) { (handlers[type] = handlers[type] || []).push(fn); return this; },
    trigger: function (type, extra) { (handlers[type] || []).forEach(function (fn) { fn.apply(el, [{ type: type, target: el }].concat(extra || [])); }); return this; },
  };
};</script>`;

/** A WooCommerce archive page: the head and footer WordPress printed, the shop's add buttons. */
const archive = (site, cookies) => {
  const { head, footer } = site({ type: 'page' }, { cookies });
  return `<!doctype html><html lang="en-US"><head><meta charset="UTF-8"><title>Outerwear</title>${JQUERY_SHIM}${head}</head>
<body class="archive tax-product_cat woocommerce woocommerce-page">
<ul class="products">
  <li class="product"><a href="?add-to-cart=311" data-quantity="1" data-product_id="311" data-product_sku="WR-RJ" class="button add_to_cart_button ajax_add_to_cart">Add to cart</a></li>
  <li class="product"><button class="wc-block-components-product-button__button" data-id="312">Add to cart</button></li>
</ul>
<script>
  // WooCommerce's add-to-cart.js (classic archives): POST ?wc-ajax=add_to_cart (an XHR, url-encoded),
  // then jQuery's added_to_cart on the body with the response's fragments and cart hash.
  document.querySelector('.ajax_add_to_cart').addEventListener('click', function (e) {
    e.preventDefault();
    var a = this, xhr = new XMLHttpRequest();
    xhr.open('POST', location.pathname.replace(/\\/shop\\/.*$/, '') + '/?wc-ajax=add_to_cart');
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.onload = function () {
      var response = JSON.parse(xhr.responseText);
      jQuery(document.body).trigger('added_to_cart', [response.fragments, response.cart_hash, jQuery(a)]);
      document.body.dataset.added = 'classic';
    };
    xhr.send('product_sku=' + a.dataset.product_sku + '&product_id=' + a.dataset.product_id + '&quantity=' + a.dataset.quantity);
  });
  // A block's product button: the Store API's add-item (fetch, JSON), then wc-blocks_added_to_cart
  // dispatched on the body without product data.
  document.querySelector('[data-id]').addEventListener('click', function () {
    fetch(location.pathname.replace(/\\/shop\\/.*$/, '') + '/wp-json/wc/store/v1/cart/add-item', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Nonce: 'n0nce' },
      body: JSON.stringify({ id: +this.dataset.id, quantity: 1 }),
    }).then(function () {
      document.body.dispatchEvent(new CustomEvent('wc-blocks_added_to_cart', { detail: { preserveCartData: false } }));
      document.body.dataset.added = 'blocks';
    });
  });
</script>
${footer}</body></html>`;
};

/** Every Added to Cart the endpoint received, duplicates included: the plugin must send each add once. */
const addedToCart = async (api) => (await api.events()).filter((e) => e.metric == 'Added to Cart');

/** What klite still has queued is sent, and anything late has had time to come. */
const settle = async (page) => {
  await page.waitForTimeout(1500);
  await page.evaluate(() => klaviyo.flush());
};

test('WordPress: the logged-in customer identified; a classic AJAX add tracked once, exactly; then Started Checkout', async ({
  page,
  api,
  open,
}) => {
  const site = wordpress(api);
  await serve(page, api, site);
  await open(archive(site, {}), '/shop/outerwear/');
  const [activity] = await api.eventCount(1);
  expect(activity.metric).toBe('__activity__');
  expect(activity.profile.email).toBe(EMAIL);

  await page.click('.ajax_add_to_cart');
  await expect(page.locator('body[data-added=classic]')).toHaveCount(1);
  await api.eventCount(2);
  await settle(page);
  const added = await addedToCart(api);
  expect(added).toHaveLength(1);
  expect(added[0].profile.email).toBe(EMAIL);
  expect(added[0].unique_id).toMatch(/^wc\.[0-9a-f]{32}$/);
  expect(added[0].value).toBe(89.5);
  expect(added[0].properties).toMatchObject({
    AddedItemProductName: 'Rain Jacket',
    AddedItemProductID: '311',
    AddedItemSKU: 'WR-RJ',
    AddedItemPrice: 89.5,
    AddedItemQuantity: 1,
    AddedItemCategories: ['Outerwear'],
    ItemNames: ['Rain Jacket'],
    Items: [{ ProductID: '311', SKU: 'WR-RJ', ProductName: 'Rain Jacket', Quantity: 1, ItemPrice: 89.5, RowTotal: 89.5 }],
  });

  // The next page: the browser acknowledged the add, so its head does not hand it again.
  const cookies = cookiesOf((await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '));
  expect(cookies.klite_added).toBe(added[0].unique_id);
  await open(archive(site, cookies), '/shop/outerwear/?page=2');
  await api.eventCount(3);
  await settle(page);
  expect(await addedToCart(api)).toHaveLength(1);

  // The checkout page: Started Checkout from the server's cart.
  const { head } = site({ type: 'page' }, { cookies, page: 'checkout' });
  await open(`<!doctype html><html><head>${head}</head><body class="woocommerce-checkout"><h1>Checkout</h1></body></html>`, '/checkout/');
  const events = await api.eventCount(5);
  const started = events.filter((e) => e.metric == 'Started Checkout');
  expect(started).toHaveLength(1);
  expect(started[0].value).toBe(89.5);
  expect(started[0].properties).toMatchObject({ ItemNames: ['Rain Jacket'], Items: [{ ProductID: '311', SKU: 'WR-RJ', Quantity: 1 }] });
  await settle(page);
  expect((await api.events()).filter((e) => e.metric == 'Started Checkout')).toHaveLength(1);
});

test('WordPress: a Blocks add through the Store API tracked once, from the cart’s extensions', async ({ page, api, open }) => {
  const site = wordpress(api);
  await serve(page, api, site);
  await open(archive(site, {}), '/shop/outerwear/');
  await api.eventCount(1);
  await page.click('[data-id="312"]');
  await expect(page.locator('body[data-added=blocks]')).toHaveCount(1);
  await api.eventCount(2);
  await settle(page);
  const added = await addedToCart(api);
  expect(added).toHaveLength(1);
  expect(added[0].properties).toMatchObject({
    AddedItemProductName: 'Fleece',
    AddedItemProductID: '312',
    AddedItemSKU: 'WR-FL',
    AddedItemPrice: 49,
    AddedItemQuantity: 1,
    Items: [{ ProductID: '312', Quantity: 1, RowTotal: 49 }],
  });
  expect(added[0].value).toBe(49);
});
