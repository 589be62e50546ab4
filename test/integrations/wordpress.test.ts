// The WordPress / WooCommerce plugin (integrations/wordpress/klite): its PHP lints, its readme and
// header are what WordPress reads, and what it prints and answers, rendered by Debian's php-cli
// over stubs of the WordPress and WooCommerce functions it calls (wordpress/render.php): one PHP
// process per request, the site's state (options, session, cart, cookies) carried between them.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const plugin = root + 'integrations/wordpress/klite/';
const render = root + 'test/integrations/wordpress/render.php';
const { version } = JSON.parse(readFileSync(root + 'package.json', 'utf8'));

/** php-cli, or a failure that says what to install: these tests never skip. */
function php(args: string[], input?: string) {
  const run = spawnSync('php', args, { input, encoding: 'utf8' });
  if (run.error)
    throw new Error(`php-cli is needed for the WordPress plugin's tests and was not found (${run.error.message}): apt-get install php-cli`);
  return run;
}

type State = { options?: any; session?: any; cart?: any; cookies?: Record<string, string> };
/** One request of the site: the result's `output`, and its `state` to pass to the next one. */
function request(scenario: Record<string, any>): { output: any; state: State; donotcachepage: boolean; stray: string } {
  const run = php([render], JSON.stringify(scenario));
  if (run.status !== 0 || run.stderr) throw new Error(`render.php failed (${run.status}): ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout);
}

const KEY = 'AbC123';
const products = {
  '311': {
    name: 'Rain Jacket',
    sku: 'WR-RJ',
    price: 89.5,
    url: 'http://shop.test/product/rain-jacket/',
    image: 'http://shop.test/wp-content/uploads/rain-jacket.jpg',
    categories: ['Outerwear', 'Sale'],
  },
  '312': { name: 'Fleece', sku: 'WR-FL', price: 49, url: 'http://shop.test/product/fleece/', categories: ['Outerwear'] },
  '400': { name: 'Tee', sku: 'TEE', price: 20, url: 'http://shop.test/product/tee/', type: 'variable', categories: ['Tops'] },
  '401': {
    name: 'Tee - Blue',
    sku: 'TEE-BLUE',
    price: 22,
    url: 'http://shop.test/product/tee/?attribute_pa_color=blue',
    type: 'variation',
    parent_id: 400,
  },
};
const shop = { options: { klite_settings: { company_id: KEY } }, woocommerce: true, products };

/** A page's head and footer. */
const page = (scenario: Record<string, any> = shop) => request({ ...scenario, request: { type: 'page' } }).output;

/** The `_learnq` calls a head's inline script makes, run as the browser would. */
function learnq(head: string): any[] {
  const inline = head.match(/<script id="klite-js-before">([\s\S]*?)<\/script>/)?.[1];
  if (!inline) return [];
  const context: any = {};
  context.window = context;
  runInNewContext(inline, context);
  return JSON.parse(JSON.stringify(context._learnq));
}

/** The attributes of the `<script … id="ID">` element. */
function scriptTag(html: string, id: string): Record<string, string | true> | undefined {
  const tag = html.match(new RegExp(`<script\\b([^>]*\\bid="${id}"[^>]*)>`))?.[1];
  if (!tag) return undefined;
  const attributes: Record<string, string | true> = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g))
    attributes[name] = value === undefined ? true : value.replaceAll('&amp;', '&').replaceAll('&#038;', '&');
  return attributes;
}

/** The adds in an AJAX add's fragments, as klite-woocommerce.js reads them. */
const fragmentAdds = (fragments: Record<string, string>) => {
  const html = fragments['script.klite-added'];
  return html ? JSON.parse(html.slice(html.indexOf('>') + 1, html.lastIndexOf('<'))) : [];
};
const trackCalls = (head: string, metric: string) => learnq(head).filter((c) => c[0] == 'track' && c[1] == metric);

describe('the WordPress plugin as WordPress reads it', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir + e.name + '/') : [dir + e.name]));

  it('every PHP file lints with php -l', () => {
    const php_files = [
      ...files(plugin).filter((f) => f.endsWith('.php')),
      render,
      ...['wp-stubs.php', 'wc-stubs.php'].map((f) => root + 'test/integrations/wordpress/' + f),
    ];
    expect(php_files.length).toBeGreaterThanOrEqual(6);
    for (const file of php_files) {
      const run = php(['-l', file]);
      expect(run.status, file + run.stdout + run.stderr).toBe(0);
    }
  });

  it('has a valid plugin header, its version the package version, every file guarded against direct access', () => {
    const main = readFileSync(plugin + 'klite.php', 'utf8');
    const header = Object.fromEntries([...main.matchAll(/^ \* ([A-Z][\w ]+):\s+(.+)$/gm)].map((m) => [m[1].trim(), m[2].trim()]));
    expect(header).toMatchObject({
      'Plugin Name': 'klite',
      Version: version,
      'Requires at least': '6.4',
      'Requires PHP': '7.4',
      License: 'MIT',
      'Text Domain': 'klite',
    });
    expect(header.Description.length).toBeGreaterThan(20);
    expect(main).toContain(`define( 'KLITE_VERSION', '${version}' );`);
    for (const f of files(plugin).filter((f) => f.endsWith('.php')))
      expect(readFileSync(f, 'utf8'), f).toContain("defined( 'ABSPATH' ) || exit;");
  });

  it("readme.txt is in WordPress's format and links to klite's Options", () => {
    const readme = readFileSync(plugin + 'readme.txt', 'utf8');
    expect(readme).toMatch(/^=== klite ===\n/);
    const [head, ...rest] = readme.split('\n\n');
    const fields = Object.fromEntries(
      head
        .split('\n')
        .slice(1)
        .map((l) => l.split(/:\s*/, 2)),
    );
    expect(Object.keys(fields)).toEqual([
      'Contributors',
      'Tags',
      'Requires at least',
      'Tested up to',
      'Stable tag',
      'Requires PHP',
      'License',
      'License URI',
    ]);
    expect(fields).toMatchObject({ 'Stable tag': version, 'Requires at least': '6.4', 'Requires PHP': '7.4', License: 'MIT' });
    expect(fields.Tags.split(',').length).toBeLessThanOrEqual(5);
    // The short description: one line of at most 150 characters, before the first section.
    expect(rest[0]).not.toMatch(/\n|^==/);
    expect(rest[0].length).toBeLessThanOrEqual(150);
    const sections = [...readme.matchAll(/^== (.+) ==$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['Description', 'Installation', 'Frequently Asked Questions', 'Changelog']);
    expect(readme).toContain(`= ${version} =`);
    expect(readme).toMatch(/klite#options/);
    expect(readFileSync(root + 'integrations/wordpress/README.md', 'utf8')).toContain('../../README.md#options');
  });
});

describe('settings', () => {
  it('prints nothing without a valid key', () => {
    for (const options of [{}, { klite_settings: { company_id: '' } }, { klite_settings: { company_id: 'abc' } }]) {
      for (const woocommerce of [false, true]) {
        const { head, footer } = page({ options, woocommerce, products, user: { email: 'a@example.com' } });
        expect(head + footer).toBe('');
      }
    }
  });

  it('refuses a private key with a settings error, keeps the saved key, and never prints the private one', () => {
    const saved = { klite_settings: { company_id: KEY, consent: 'granted', off: [], src: '', endpoint: '' } };
    const { output } = request({
      options: saved,
      user: { caps: ['manage_options'] },
      request: { type: 'save', input: { company_id: 'pk_live_SECRET123' } },
    });
    expect(output.option.company_id).toBe(KEY);
    expect(output.errors).toHaveLength(1);
    expect(output.errors[0]).toMatchObject({ setting: 'klite_settings', code: 'klite_private_key', type: 'error' });
    expect(JSON.stringify(output)).not.toContain('SECRET');
    const fresh = request({ user: { caps: ['manage_options'] }, request: { type: 'save', input: { company_id: ' pk_x ' } } }).output;
    expect(fresh.option.company_id).toBe('');
    const bad = request({ user: { caps: ['manage_options'] }, request: { type: 'save', input: { company_id: 'abc' } } }).output;
    expect(bad.errors[0].code).toBe('klite_invalid_key');
  });

  it('keeps a valid key, the consent mode, the captures left ticked, the script URL and the endpoint', () => {
    const input = {
      company_id: ` ${KEY} `,
      consent: 'pending',
      captures_sent: '1',
      captures: ['activity', 'product', 'cart', 'checkout'],
      src: 'https://cdn.example.org/klite.js',
      endpoint: '/kl',
    };
    const { output } = request({ user: { caps: ['manage_options'] }, request: { type: 'save', input } });
    expect(output.errors).toEqual([]);
    expect(output.option).toEqual({
      company_id: KEY,
      consent: 'pending',
      off: ['forms'],
      src: 'https://cdn.example.org/klite.js',
      endpoint: '/kl',
    });
    // Every box unticked: every capture off; anything but `pending` is the default, granted.
    const none = request({
      user: { caps: ['manage_options'] },
      request: { type: 'save', input: { company_id: KEY, consent: 'x', captures_sent: '1' } },
    });
    expect(none.output.option).toMatchObject({ consent: 'granted', off: ['activity', 'product', 'cart', 'checkout', 'forms'] });
    expect(
      request({ user: { caps: ['manage_options'] }, request: { type: 'save', input: { src: 'javascript:alert(1)' } } }).output.option.src,
    ).toBe('');
  });

  it('renders the settings page with the saved values, escaped', () => {
    const html = request({
      options: { klite_settings: { company_id: KEY, consent: 'pending', off: ['forms'], src: 'https://x.example/"><b>', endpoint: '' } },
      user: { caps: ['manage_options'] },
      request: { type: 'admin' },
    }).output;
    expect(html).toContain(`name="klite_settings[company_id]" value="${KEY}"`);
    expect(html).toContain(`<option value="pending" selected='selected'>`);
    expect(html).toContain(`value="cart" checked='checked'`);
    expect(html).not.toContain(`value="forms" checked`);
    expect(html).not.toContain('"><b>');
    expect(html).toContain('action="options.php"');
  });
});

describe('the tag', () => {
  it('enqueues klite once, async in the head, with the defaults: this version on jsDelivr, every capture on', () => {
    const { head, footer } = page({ options: { klite_settings: { company_id: KEY } } });
    expect(head.match(/<script\b/g)).toHaveLength(1);
    expect(scriptTag(head, 'klite-js')).toEqual({
      src: `https://cdn.jsdelivr.net/npm/klite@${version}/dist/klite.js?ver=${version}`,
      id: 'klite-js',
      async: true,
      'data-wp-strategy': 'async',
      'data-company-id': KEY,
    });
    expect(footer).toBe('');
  });

  it('carries the settings as the data attributes klite reads', () => {
    const { head } = page({
      options: {
        klite_settings: { company_id: KEY, consent: 'pending', off: ['forms', 'activity'], src: '/kl/klite.js', endpoint: '/kl' },
      },
    });
    expect(scriptTag(head, 'klite-js')).toMatchObject({
      src: `/kl/klite.js?ver=${version}`,
      'data-company-id': KEY,
      'data-consent': 'pending',
      'data-no-capture': 'activity forms',
      'data-endpoint': '/kl',
    });
  });

  it('identifies the logged-in customer, escaped so that no value can close the script element', () => {
    const email = 'o\'brien"</script><script>alert(1)</script><!--@example.com';
    const { head } = page({ options: { klite_settings: { company_id: KEY } }, user: { email, first_name: 'Seán', last_name: '' } });
    // Exactly two elements: the inline calls, then klite.
    expect(head.match(/<script\b/g)).toHaveLength(2);
    expect(head.match(/<\/script>/g)).toHaveLength(2);
    expect(head).not.toContain('<!--');
    expect(head.indexOf('klite-js-before')).toBeLessThan(head.indexOf('id="klite-js"'));
    expect(learnq(head)).toEqual([['identify', { email, first_name: 'Seán' }]]);
    expect(learnq(page({ options: { klite_settings: { company_id: KEY } } }).head)).toEqual([]);
  });
});

describe('WooCommerce', () => {
  it('adds the browser side (deferred, in the footer) and tells klite not to capture carts and checkouts itself', () => {
    const { head, footer } = page({ ...shop, options: { klite_settings: { company_id: KEY, off: ['forms'] } } });
    expect(scriptTag(head, 'klite-js')).toMatchObject({ async: true, 'data-no-capture': 'cart checkout forms' });
    expect(scriptTag(footer, 'klite-woocommerce-js')).toEqual({
      src: `http://shop.test/wp-content/plugins/klite/assets/klite-woocommerce.js?ver=${version}`,
      id: 'klite-woocommerce-js',
      defer: true,
      'data-wp-strategy': 'defer',
    });
    expect(footer).toContain('window.kliteWoo = {"cart":"http://shop.test/wp-json/wc/store/v1/cart"};');
    // The cart capture turned off: no browser side, and adds are not recorded.
    const off = { ...shop, options: { klite_settings: { company_id: KEY, off: ['cart'] } } };
    expect(page(off).footer).toBe('');
    const add = request({ ...off, request: { type: 'ajax_add', product_id: 311 } });
    expect(fragmentAdds(add.output.fragments)).toEqual([]);
  });

  it('a classic AJAX add: one exact Added to Cart in its fragments, gone once the browser acknowledged it', () => {
    let r = request({
      ...shop,
      cart: { x: { product_id: 312, quantity: 1 } },
      request: { type: 'ajax_add', product_id: 311, quantity: 2 },
    });
    const adds = fragmentAdds(r.output.fragments);
    expect(adds).toHaveLength(1);
    expect(adds[0]).toEqual({
      $event_id: expect.stringMatching(/^wc\.[0-9a-f]{32}$/),
      AddedItemProductName: 'Rain Jacket',
      AddedItemProductID: '311',
      AddedItemSKU: 'WR-RJ',
      AddedItemCategories: ['Outerwear', 'Sale'],
      AddedItemImageURL: 'http://shop.test/wp-content/uploads/rain-jacket.jpg',
      AddedItemURL: 'http://shop.test/product/rain-jacket/',
      AddedItemPrice: 89.5,
      AddedItemQuantity: 2,
      $value: 228,
      ItemNames: ['Fleece', 'Rain Jacket'],
      CheckoutURL: 'http://shop.test/checkout/',
      Items: [
        {
          ProductID: '312',
          SKU: 'WR-FL',
          ProductName: 'Fleece',
          Quantity: 1,
          ItemPrice: 49,
          RowTotal: 49,
          ProductURL: 'http://shop.test/product/fleece/',
          ProductCategories: ['Outerwear'],
        },
        {
          ProductID: '311',
          SKU: 'WR-RJ',
          ProductName: 'Rain Jacket',
          Quantity: 2,
          ItemPrice: 89.5,
          RowTotal: 179,
          ProductURL: 'http://shop.test/product/rain-jacket/',
          ImageURL: 'http://shop.test/wp-content/uploads/rain-jacket.jpg',
          ProductCategories: ['Outerwear', 'Sale'],
        },
      ],
    });
    // Not acknowledged (e.g. the shop redirects to the cart after an add): still there for the next
    // response, and the next page's head hands it, once.
    const kept = request({ ...shop, ...r.state, request: { type: 'fragments' } });
    expect(fragmentAdds(kept.output.fragments)).toEqual(adds);
    // Acknowledged: the next request drops it everywhere.
    const cookies = { klite_added: 'wc.other,' + adds[0].$event_id };
    r = request({ ...shop, ...r.state, cookies, request: { type: 'fragments' } });
    expect(fragmentAdds(r.output.fragments)).toEqual([]);
    expect(trackCalls(page({ ...shop, ...r.state, cookies }).head, 'Added to Cart')).toEqual([]);
  });

  it('a classic form post: the next page head hands the add once, then never again', () => {
    let r = request({ ...shop, request: { type: 'form_add', product_id: 400, variation_id: 401, quantity: 3 } });
    r = request({ ...shop, ...r.state, request: { type: 'page' } });
    const added = trackCalls(r.output.head, 'Added to Cart');
    expect(added).toHaveLength(1);
    // A variation: its own name, SKU and price; the product id its parent's, as on its product page.
    expect(added[0][2]).toMatchObject({
      AddedItemProductName: 'Tee - Blue',
      AddedItemProductID: '400',
      AddedItemSKU: 'TEE-BLUE',
      AddedItemPrice: 22,
      AddedItemQuantity: 3,
      AddedItemCategories: ['Tops'],
      $value: 66,
    });
    expect(r.donotcachepage).toBe(true);
    const next = request({ ...shop, ...r.state, request: { type: 'page' } });
    expect(trackCalls(next.output.head, 'Added to Cart')).toEqual([]);
    expect(fragmentAdds(request({ ...shop, ...r.state, request: { type: 'fragments' } }).output.fragments)).toEqual([]);
    expect(next.donotcachepage).toBe(false);
  });

  it('a prefetch of the next page does not take the pending adds', () => {
    let r = request({ ...shop, request: { type: 'form_add', product_id: 311 } });
    const prefetch = request({ ...shop, ...r.state, server: { HTTP_SEC_PURPOSE: 'prefetch' }, request: { type: 'page' } });
    expect(trackCalls(prefetch.output.head, 'Added to Cart')).toEqual([]);
    r = request({ ...shop, ...prefetch.state, request: { type: 'page' } });
    expect(trackCalls(r.output.head, 'Added to Cart')).toHaveLength(1);
  });

  it('Blocks: Store API adds (new product, one already in the cart, a batch) appear once in the cart’s extensions.klite', () => {
    let r = request({
      ...shop,
      request: { type: 'store_api', method: 'POST', path: '/wc/store/v1/cart/add-item', body: { id: 311, quantity: 1 } },
    });
    expect(r.output.status).toBe(201);
    // The same product again: the Store API only raises the line's quantity (no woocommerce_add_to_cart).
    r = request({
      ...shop,
      ...r.state,
      request: { type: 'store_api', method: 'POST', path: '/wc/store/v1/cart/add-item', body: { id: 311, quantity: 2 } },
    });
    const batch = {
      requests: [
        { method: 'POST', path: '/wc/store/v1/cart/add-item', body: { id: 312, quantity: 1 } },
        { method: 'POST', path: '/wc/store/v1/cart/add-item', body: { id: 999, quantity: 1 } },
        { method: 'POST', path: '/wc/store/v1/cart/add-item', body: { id: 401, quantity: 1 } },
      ],
    };
    r = request({ ...shop, ...r.state, request: { type: 'store_api', method: 'POST', path: '/wc/store/v1/batch', body: batch } });
    expect(r.output.body.responses.map((x: any) => x.status)).toEqual([201, 400, 201]);
    const cart = request({ ...shop, ...r.state, request: { type: 'store_api', method: 'GET', path: '/wc/store/v1/cart' } });
    const added = cart.output.body.extensions.klite.added;
    expect(
      added.map((a: any) => [a.AddedItemProductName, a.AddedItemQuantity, a.Items.find((l: any) => l.SKU == a.AddedItemSKU).Quantity]),
    ).toEqual([
      ['Rain Jacket', 1, 1],
      ['Rain Jacket', 2, 3],
      ['Fleece', 1, 1],
      ['Tee - Blue', 1, 1],
    ]);
    expect(new Set(added.map((a: any) => a.$event_id)).size).toBe(4);
    expect(added[3].$value).toBe(89.5 * 3 + 49 + 22);
    // Read only: asking again without acknowledging still has them; acknowledged, gone.
    const cookies = { klite_added: added.map((a: any) => a.$event_id).join(',') };
    const again = request({ ...shop, ...cart.state, request: { type: 'store_api', method: 'GET', path: '/wc/store/v1/cart' } });
    expect(again.output.body.extensions.klite.added).toHaveLength(4);
    const acked = request({ ...shop, ...cart.state, cookies, request: { type: 'store_api', method: 'GET', path: '/wc/store/v1/cart' } });
    expect(acked.output.body.extensions.klite.added).toEqual([]);
  });

  it('a quantity change on the cart page is not an add', () => {
    // WC_Cart::set_quantity outside a Store API add-item (the classic cart form, update-item).
    const r = request({
      ...shop,
      cart: { x: { product_id: 312, quantity: 1 } },
      request: { type: 'store_api', method: 'GET', path: '/wc/store/v1/cart' },
    });
    expect(r.output.body.extensions.klite.added).toEqual([]);
  });

  it('the checkout page: Started Checkout from the cart, once per cart', () => {
    const checkout = {
      ...shop,
      page: 'checkout',
      cart: { a: { product_id: 311, quantity: 2 }, b: { product_id: 400, variation_id: 401, quantity: 1 } },
    };
    let r = request({ ...checkout, request: { type: 'page' } });
    const started = trackCalls(r.output.head, 'Started Checkout');
    expect(started).toHaveLength(1);
    expect(started[0][2]).toMatchObject({
      $event_id: expect.stringMatching(/^[A-Za-z0-9]{12}\.[0-9a-f]{12}$/),
      $value: 201,
      ItemNames: ['Rain Jacket', 'Tee - Blue'],
      CheckoutURL: 'http://shop.test/checkout/',
      Items: [
        { ProductID: '311', SKU: 'WR-RJ', Quantity: 2, ItemPrice: 89.5, RowTotal: 179 },
        { ProductID: '400', SKU: 'TEE-BLUE', ProductName: 'Tee - Blue', Quantity: 1, ItemPrice: 22, RowTotal: 22 },
      ],
    });
    // A reload: not a second checkout.
    r = request({ ...checkout, ...r.state, request: { type: 'page' } });
    expect(trackCalls(r.output.head, 'Started Checkout')).toEqual([]);
    // The cart changed: a new checkout, with a new id.
    const more = request({
      ...checkout,
      ...r.state,
      cart: { ...r.state.cart, c: { product_id: 312, quantity: 1 } },
      request: { type: 'page' },
    });
    const again = trackCalls(more.output.head, 'Started Checkout');
    expect(again).toHaveLength(1);
    expect(again[0][2].$event_id).not.toBe(started[0][2].$event_id);
    // Not on the order-received page, nor with an empty cart, nor with the checkout capture off.
    expect(trackCalls(page({ ...checkout, page: 'order-received' }).head, 'Started Checkout')).toEqual([]);
    expect(trackCalls(page({ ...checkout, cart: {} }).head, 'Started Checkout')).toEqual([]);
    expect(
      trackCalls(page({ ...checkout, options: { klite_settings: { company_id: KEY, off: ['checkout'] } } }).head, 'Started Checkout'),
    ).toEqual([]);
  });

  it('without WooCommerce, klite keeps its own captures', () => {
    const { head, footer } = page({ options: { klite_settings: { company_id: KEY } }, page: 'checkout' });
    expect(scriptTag(head, 'klite-js')!['data-no-capture']).toBeUndefined();
    expect(footer).toBe('');
  });
});
