// Test support, not shipped to Shopify (it is outside the extension folder): renders the app
// embed block (extensions/klite/blocks/klite.liquid) with liquidjs as a Shopify storefront would,
// for test/integrations/shopify.test.ts and e2e/integrations/shopify.spec.mjs. Shopify's own
// filters and objects are modelled on its Liquid reference: `json` (JSON with <, > and & encoded,
// as Shopify documents), `asset_url` (the extension's CDN folder), `{% schema %}` (never rendered),
// `block.settings` (each setting's default unless set), `product` as `product | json` outputs it,
// with the Liquid-only `selected_or_first_available_variant` and `url` beside it.
import { readFileSync } from 'node:fs';
import { Liquid } from 'liquidjs';

export const source = readFileSync(new URL('./extensions/klite/blocks/klite.liquid', import.meta.url), 'utf8');

/** The block's `{% schema %}` JSON, as Shopify reads it. */
export const schema = () => JSON.parse(/{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source)[1]);

/** Shopify's `json` filter: JSON, nil as null, with <, > and & as \u escapes so that it is safe inside <script>. */
export const json = (value) =>
  JSON.stringify(value ?? null).replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

const engine = new Liquid({ strictFilters: true });
engine.registerFilter('json', json);
// A theme app extension's assets are served from Shopify's CDN, under the extension's version.
engine.registerFilter('asset_url', function (name) {
  return `${this.context.environments.assetBase}/${name}`;
});
// Shopify reads the schema and never renders it.
engine.registerTag('schema', {
  parse(token, remain) {
    for (let t; (t = remain.shift());) if (t.name == 'endschema') return;
    throw new Error('{% schema %} is not closed');
  },
  render() {},
});

/**
 * `product` as Liquid sees it: the fields `product | json` outputs, and (not in that JSON) the
 * variant the request selects (`?variant=`, else the first available) and the product's URL.
 */
function liquidProduct(product, variantId) {
  const variants = product.variants;
  const selected = variants.find((v) => String(v.id) == String(variantId)) || variants.find((v) => v.available) || variants[0];
  return Object.defineProperties(
    { ...product },
    {
      selected_or_first_available_variant: { value: selected },
      url: { value: `/products/${product.handle}` },
    },
  );
}

/**
 * The block's HTML for one request. `settings`: the merchant's (the others take their schema
 * default); `product`: Shopify's product JSON, on a product page; `variant`: the request's
 * `?variant=`; `customer`: the logged-in customer, if any; `currency`: the visitor's (cart) currency.
 */
export function renderEmbed({
  settings = {},
  pageType = 'index',
  product,
  variant,
  customer = null,
  currency = 'USD',
  shopCurrency = 'USD',
  assetBase = 'https://cdn.shopify.com/extensions/0b5e1c43-5f3b-4a43-9d7c-6f1c0c8b2f11/1.0.0/assets',
} = {}) {
  const defaults = Object.fromEntries(
    schema()
      .settings.filter((s) => s.id)
      .map((s) => [s.id, s.default ?? null]),
  );
  return engine.parseAndRenderSync(source, {
    block: { settings: { ...defaults, ...settings } },
    request: { page_type: pageType },
    product: product && liquidProduct(product, variant),
    customer,
    cart: { currency: { iso_code: currency } },
    shop: { currency: shopCurrency },
    assetBase,
  });
}
