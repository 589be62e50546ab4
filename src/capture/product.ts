import { parsePrice } from './price';

/** A product as Klaviyo's Viewed Product and Added to Cart events name its fields. */
export interface Product {
  ProductName?: string;
  ProductID?: string;
  SKU?: string;
  Categories?: string[];
  ImageURL?: string;
  URL?: string;
  Brand?: string;
  Price?: number;
  CompareAtPrice?: number;
  Currency?: string;
}

type Node = Record<string, any>;

const types = (n: Node) => [].concat(n['@type'] || []).map((t: string) => String(t).replace(/^.*[/#]/, ''));
const text = (v: unknown): string | undefined => (typeof v == 'string' ? v.trim() || undefined : typeof v == 'number' ? '' + v : undefined);
const first = (v: unknown): any => (Array.isArray(v) ? v[0] : v);

/** Product and ProductGroup nodes of JSON-LD documents: top-level arrays and `@graph` searched, variants of a group not counted. */
function productNodes(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) value.forEach((v) => productNodes(v, out));
  else if (value && typeof value == 'object') {
    const n = value as Node;
    if (types(n).some((t) => t == 'Product' || t == 'ProductGroup')) out.push(n);
    else for (const k of ['@graph', 'mainEntity', 'itemListElement', 'item']) productNodes(n[k], out);
  }
  return out;
}

/** Price fields from `offers`: an Offer, an AggregateOffer, a list of either, or a `priceSpecification`. */
function prices(offers: unknown, p: Product): void {
  const offer = first(offers) as Node | undefined;
  if (!offer || typeof offer != 'object') return;
  p.Currency = text(offer.priceCurrency);
  p.Price = parsePrice(offer.price ?? offer.lowPrice);
  for (const spec of [].concat(offer.priceSpecification || []) as Node[]) {
    const price = parsePrice(spec.price);
    p.Currency ||= text(spec.priceCurrency);
    // A strikethrough or list price is what the product was; any other specification is the price.
    if (/(ListPrice|StrikethroughPrice)$/.test(spec.priceType || '')) p.CompareAtPrice = price;
    else p.Price ??= price;
  }
}

/** Drops the fields the page did not state. */
const stated = (p: Product): Product => JSON.parse(JSON.stringify(p));

/**
 * The product a page's JSON-LD describes, or undefined when it describes none, or several (a
 * category page, a carousel of related products): such a page is not a product page. A
 * ProductGroup is one product; its first variant supplies what the group does not state.
 */
export function productFromJsonLd(documents: unknown[]): Product | undefined {
  const nodes = productNodes(documents);
  const ids = new Set(nodes.map((n) => n['@id'] || n.productGroupID || n.productID || n.sku || n.name));
  if (nodes.length < 1 || ids.size != 1) return;
  const group = nodes.find((n) => types(n).includes('ProductGroup')) || nodes[0];
  const variant: Node = first(group.hasVariant) || {};
  const image = first(group.image ?? variant.image);
  const category = group.category ?? variant.category;
  const brand = group.brand ?? variant.brand;
  const p: Product = {
    ProductName: text(group.name ?? variant.name),
    ProductID: text(group.productGroupID ?? group.productID ?? group.sku ?? variant.productID),
    SKU: text(group.sku ?? variant.sku),
    Categories: category ? [].concat(category).map(String) : undefined,
    ImageURL: text(typeof image == 'object' && image ? image.url ?? image.contentUrl : image),
    URL: text(group.url ?? variant.url),
    Brand: text(typeof brand == 'object' && brand ? brand.name : brand),
  };
  prices(group.offers ?? variant.offers, p);
  return stated(p);
}

/** Parses each JSON-LD text on its own: a malformed one is skipped, the others still count. */
export function parseJsonLd(texts: string[]): unknown[] {
  return texts.flatMap((t) => {
    try {
      return [JSON.parse(t)];
    } catch {
      return [];
    }
  });
}

/** OpenGraph product tags (`og:type=product`, `product:price:amount`…), as `property → content`. */
export function productFromOpenGraph(meta: Record<string, string>): Product | undefined {
  if (!/product/.test(meta['og:type'] || '')) return;
  return stated({
    ProductName: text(meta['og:title']),
    ProductID: text(meta['product:retailer_item_id']),
    ImageURL: text(meta['og:image']),
    URL: text(meta['og:url']),
    Brand: text(meta['product:brand']),
    Price: parsePrice(meta['product:price:amount'] ?? meta['og:price:amount']),
    Currency: text(meta['product:price:currency'] ?? meta['og:price:currency']),
  });
}

/** Shopify's `ShopifyAnalytics.meta` on a product page (variant prices are in cents). */
export function productFromShopify(meta: Node | undefined): Product | undefined {
  const product = meta?.product;
  if (!product || typeof product != 'object') return;
  const variant: Node = first(product.variants) || {};
  return stated({
    ProductName: text(variant.name),
    ProductID: text(product.id),
    SKU: text(variant.sku),
    Categories: product.type ? [String(product.type)] : undefined,
    Brand: text(product.vendor),
    Price: typeof variant.price == 'number' ? variant.price / 100 : undefined,
    Currency: text(meta!.currency),
  });
}

/** BigCommerce's `BCData.product_attributes` (SKU and price; the name comes from the markup). */
export function productFromBigCommerce(data: Node | undefined): Product | undefined {
  const a = data?.product_attributes;
  if (!a || typeof a != 'object') return;
  const price: Node = a.price?.with_tax || a.price?.without_tax || {};
  return stated({ SKU: text(a.sku), Price: parsePrice(price.value ?? price.formatted), Currency: text(price.currency) });
}
