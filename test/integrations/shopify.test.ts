// The Shopify theme app extension (integrations/shopify): its shopify.extension.toml and block
// schema against what Shopify documents, and the app embed block rendered as a storefront renders
// it (integrations/shopify/render.mjs: liquidjs with Shopify's filters and objects), its inline
// script run against the page it renders. The browser flows are in e2e/integrations/shopify.spec.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the integration, without types.
import { renderEmbed, schema } from '../../integrations/shopify/render.mjs';

const extension = new URL('../../integrations/shopify/extensions/klite/', import.meta.url);

/** A product as Shopify's `product | json` outputs it: prices in cents, images protocol-relative. */
const PRODUCT = {
  id: 7512345678901,
  title: 'Canvas Tote',
  handle: 'canvas-tote',
  vendor: 'Northwind',
  type: 'Bags',
  price: 2500,
  compare_at_price: 3500,
  variants: [
    { id: 43100000000001, title: 'Sand', sku: 'TOTE-SAND', price: 2500, compare_at_price: null, available: false, featured_image: null },
    { id: 43100000000002, title: 'Olive', sku: 'TOTE-OLIVE', price: 2990, compare_at_price: 3500, available: true, featured_image: null },
    {
      id: 43100000000003,
      title: 'Ink',
      sku: '',
      price: 3100,
      compare_at_price: 0,
      available: true,
      featured_image: { id: 1, src: '//cdn.shopify.com/s/files/1/ink.jpg' },
    },
  ],
  images: ['//cdn.shopify.com/s/files/1/tote.jpg'],
  featured_image: '//cdn.shopify.com/s/files/1/tote.jpg',
};
const [SAND, OLIVE, INK] = PRODUCT.variants;

/** The shopify.extension.toml subset Shopify CLI writes for a theme extension: top-level `key = value` lines. */
function parseToml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*#.*$/, '').trim();
    if (!line) continue;
    const m = /^([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|true|false|-?\d+)\s*(#.*)?$/.exec(line);
    if (!m) throw new Error('not a top-level key = value line: ' + line);
    out[m[1]] = JSON.parse(m[2]);
  }
  return out;
}

/** The <script> elements of rendered HTML: attributes and text (script text is raw: no entities). */
const scripts = (html: string) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attrs, text]) => ({ attrs, text }));

/** An attribute's value as a browser reads it (the block quotes every attribute and escapes it). */
const attr = (attrs: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
  return (
    m &&
    m[1]
      .replace(/&quot;|&#34;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
};

/**
 * Runs the block's inline script as the page would, at `href`, with the page's own `kliteOptions`
 * (if any): what it leaves in `window` (kliteOptions, _learnq) and klite's extract call.
 */
function runInline(html: string, href: string, kliteOptions?: unknown) {
  const elements = new Map(scripts(html).map((s) => [attr(s.attrs, 'id'), { textContent: s.text }]));
  const document = { getElementById: (id: string) => elements.get(id) ?? null };
  const window: Record<string, any> = { location: { href }, kliteOptions };
  runInNewContext(scripts(html).find((s) => !s.attrs.trim())!.text, { window, document, URL });
  return { window, extract: () => window.kliteOptions.capture.extract(document, window) };
}

const productPage = (variant?: number, more = {}) =>
  renderEmbed({ settings: { company_id: 'AbC123' }, pageType: 'product', product: PRODUCT, variant, ...more });

describe('Shopify theme app extension: files and schema', () => {
  it('shopify.extension.toml names a theme extension; the folder holds only what Shopify CLI deploys', () => {
    const toml = parseToml(readFileSync(new URL('shopify.extension.toml', extension), 'utf8'));
    expect(toml).toEqual({ name: 'klite', type: 'theme' });
    // Shopify CLI refuses any other entry in a theme app extension, and non-Liquid files in blocks/.
    const allowed = ['assets', 'blocks', 'snippets', 'locales', 'package.json', 'shopify.extension.toml'];
    expect(readdirSync(extension).filter((f) => !allowed.includes(f))).toEqual([]);
    expect(readdirSync(new URL('blocks/', extension))).toEqual(['klite.liquid']);
  });

  it('the block schema: an app embed for the head, unique ids of documented setting types, defaults of their types', () => {
    const s = schema();
    expect(s.target).toBe('head');
    expect(typeof s.name).toBe('string');
    // Input and sidebar setting types Shopify documents for theme and app block settings.
    const types = new Set(
      `checkbox number radio range select text textarea article blog collection collection_list color color_background color_scheme
      font_picker html image_picker inline_richtext link_list liquid metaobject metaobject_list page product product_list richtext
      text_alignment url video video_url header paragraph`.split(/\s+/),
    );
    const ids = s.settings.filter((x: any) => x.id).map((x: any) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const setting of s.settings) {
      expect(types.has(setting.type), setting.type).toBe(true);
      // Sidebar settings have content and no id; input settings an id and a label.
      if (['header', 'paragraph'].includes(setting.type)) expect(setting).toEqual({ type: setting.type, content: expect.any(String) });
      else expect(setting).toMatchObject({ id: expect.stringMatching(/^\w+$/), label: expect.any(String) });
      if (setting.type == 'checkbox') expect(typeof setting.default).toBe('boolean');
      if (setting.type == 'text' && 'default' in setting) expect(typeof setting.default).toBe('string');
      if (setting.type == 'select') expect(setting.options.map((o: any) => o.value)).toContain(setting.default);
    }
    const byId = Object.fromEntries(s.settings.filter((x: any) => x.id).map((x: any) => [x.id, x]));
    expect(byId.consent.options.map((o: any) => o.value)).toEqual(['granted', 'pending']);
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(['company_id', 'endpoint', 'capture_activity', 'capture_forms']));
  });
});

describe('Shopify app embed block, rendered', () => {
  it("carries klite's defaults: consent granted, every capture on, Klaviyo's endpoint; loads only klite, from the extension", () => {
    const html = renderEmbed({ settings: { company_id: 'AbC123' } });
    const [inline, tag] = scripts(html);
    expect(scripts(html)).toHaveLength(2);
    expect(attr(tag.attrs, 'src')).toMatch(/^https:\/\/cdn\.shopify\.com\/extensions\/[\w-]+\/[\d.]+\/assets\/klite\.js$/);
    expect(tag.attrs).toMatch(/^\s+async\s/);
    expect(attr(tag.attrs, 'data-company-id')).toBe('AbC123');
    expect(attr(tag.attrs, 'data-consent')).toBe('granted');
    expect(attr(tag.attrs, 'data-endpoint')).toBeNull();
    const { window } = runInline(html, 'https://shop.example/');
    expect(window.kliteOptions.capture).toMatchObject({ activity: true, product: true, cart: true, checkout: true, forms: true });
    // The inline script only sets options: it loads, creates and sends nothing.
    expect(inline.text).not.toMatch(/import\(|createElement|\.src\s*=|fetch\(|XMLHttpRequest|sendBeacon/);
  });

  it('maps the settings to the tag (key, consent, endpoint) and to the capture option', () => {
    const html = renderEmbed({
      settings: { company_id: ' AbC123 ', consent: 'pending', capture_cart: false, capture_forms: false, endpoint: 'https://kl.example/' },
    });
    const tag = scripts(html)[1];
    expect(attr(tag.attrs, 'data-company-id')).toBe('AbC123');
    expect(attr(tag.attrs, 'data-consent')).toBe('pending');
    expect(attr(tag.attrs, 'data-endpoint')).toBe('https://kl.example/');
    expect(runInline(html, 'https://shop.example/').window.kliteOptions.capture).toMatchObject({
      activity: true,
      product: true,
      cart: false,
      checkout: true,
      forms: false,
    });
    // A consent the schema does not offer is the default.
    expect(attr(scripts(renderEmbed({ settings: { company_id: 'AbC123', consent: 'nope' } }))[1].attrs, 'data-consent')).toBe('granted');
  });

  it('renders no tag for a private key or a malformed one, and never prints the key', () => {
    for (const company_id of ['pk_live_0123456789abcdef', 'pk_AbC', 'AbC12', 'AbC1234', 'AbC-12', '', 'AbC12"'])
      for (const pageType of ['index', 'product']) {
        const html = renderEmbed({ settings: { company_id }, pageType, product: PRODUCT, customer: { email: 'a@example.com' } });
        expect(scripts(html), company_id).toEqual([]);
        expect(html.trim()).toMatch(/^<!-- klite: set the public API key [^>]*-->$/);
        if (company_id) expect(html).not.toContain(company_id);
      }
  });

  it('states no product on other pages, and identifies only a logged-in customer', () => {
    const home = renderEmbed({ settings: { company_id: 'AbC123' }, pageType: 'index' });
    expect(home).not.toContain('application/json');
    expect(runInline(home, 'https://shop.example/').extract()).toBeUndefined();
    expect(runInline(home, 'https://shop.example/').window._learnq).toBeUndefined();
    const page = productPage(OLIVE.id, { customer: { id: 1, email: 'sarah@example.com', first_name: 'Sarah' } });
    expect(runInline(page, 'https://shop.example/').window._learnq).toEqual([['identify', { email: 'sarah@example.com' }]]);
    expect(runInline(productPage(OLIVE.id), 'https://shop.example/').window._learnq).toBeUndefined();
  });

  it('keeps hostile values in their context: an email or a title with </script> and quotes, settings in attributes', () => {
    const email = `"o'hara</script><script>alert(1)</script>"@example.com`;
    const product = { ...PRODUCT, title: `Tote </script><script>alert(2)</script> "12'"`, vendor: '<!--' };
    const html = renderEmbed({
      settings: { company_id: 'AbC123', endpoint: `https://x.example/"><script>alert(3)</script>` },
      pageType: 'product',
      product,
      customer: { email },
    });
    expect(scripts(html)).toHaveLength(3);
    expect(html).not.toContain('alert(1)</script>');
    const { window, extract } = runInline(html, 'https://shop.example/products/canvas-tote');
    expect(window._learnq).toEqual([['identify', { email }]]);
    expect(extract()).toMatchObject({ ProductName: product.title, Brand: '<!--' });
    expect(attr(scripts(html)[2].attrs, 'data-endpoint')).toBe(`https://x.example/"><script>alert(3)</script>`);
  });
});

describe("the block's product reader (kliteOptions.capture.extract)", () => {
  it("reads the URL's variant, else the rendered one: ids as strings, cents as units, absolute image and URL", () => {
    const html = productPage(OLIVE.id);
    expect(runInline(html, `https://shop.example/products/canvas-tote?variant=${OLIVE.id}`).extract()).toEqual({
      ProductName: 'Canvas Tote',
      ProductID: '7512345678901',
      SKU: 'TOTE-OLIVE',
      Categories: ['Bags'],
      ImageURL: 'https://cdn.shopify.com/s/files/1/tote.jpg',
      URL: `https://shop.example/products/canvas-tote?variant=${OLIVE.id}`,
      Brand: 'Northwind',
      Price: 29.9,
      CompareAtPrice: 35,
      Currency: 'USD',
    });
    // Options changed on the page (the theme rewrote ?variant=): that variant, its own image; no SKU, no compare-at price of 0.
    const ink = runInline(html, `https://shop.example/products/canvas-tote?variant=${INK.id}`).extract();
    expect(ink).toMatchObject({
      Price: 31,
      ImageURL: 'https://cdn.shopify.com/s/files/1/ink.jpg',
      URL: expect.stringContaining(`variant=${INK.id}`),
    });
    expect(ink.SKU).toBeUndefined();
    expect(ink.CompareAtPrice).toBeUndefined();
    // No ?variant=: Liquid's selected_or_first_available_variant (Sand is sold out: Olive).
    expect(runInline(productPage(), 'https://shop.example/products/canvas-tote').extract()).toMatchObject({
      SKU: 'TOTE-OLIVE',
      Price: 29.9,
    });
    expect(SAND.available).toBe(false);
  });

  it("states the visitor's currency (the cart's), else the shop's", () => {
    const at = (more: object) => runInline(productPage(OLIVE.id, more), 'https://shop.example/products/canvas-tote').extract().Currency;
    expect(at({ currency: 'EUR', shopCurrency: 'USD' })).toBe('EUR');
    expect(at({ currency: null, shopCurrency: 'CAD' })).toBe('CAD');
  });

  it('merges with the kliteOptions the shop set: its capture: false stays, its extract’s fields come first, nothing throws', () => {
    const href = `https://shop.example/products/canvas-tote?variant=${OLIVE.id}`;
    expect(runInline(productPage(OLIVE.id), href, { capture: false }).window.kliteOptions).toEqual({ capture: false });
    const own = { capture: { cart: false, extract: () => ({ ProductName: 'Own name' }) }, consent: 'pending' };
    const { window, extract } = runInline(productPage(OLIVE.id), href, own);
    expect(window.kliteOptions).toMatchObject({ consent: 'pending', capture: { cart: false, product: true } });
    expect(extract()).toMatchObject({ ProductName: 'Own name', SKU: 'TOTE-OLIVE' });
    // A shop extract that throws, or broken product JSON: no exception reaches klite or the page.
    const throwing = runInline(productPage(OLIVE.id), href, { capture: { extract: () => JSON.parse('{') } });
    expect(throwing.extract()).toMatchObject({ SKU: 'TOTE-OLIVE' });
    const broken = productPage(OLIVE.id).replace('"product":{', '"product":{{');
    expect(runInline(broken, href).extract()).toBeUndefined();
  });
});
