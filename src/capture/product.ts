import { text } from '../attributes';
import { guard } from '../guard';
import type { Product } from '../types';
import { parsePrice } from './price';

export type { Product };

/**
 * A schema.org Product as JSON-LD writes it. Every source (microdata, OpenGraph, platform
 * globals) is first turned into this shape, so one function maps them all to Klaviyo's keys.
 */
export type Node = Record<string, any>;

/**
 * Whether one of a node's `@type`s is `type`, named (`Product`) or as a URL's last segment
 * (`https://schema.org/Product`, `…#Product`): `type` is tested on each after an optional
 * `…/` or `…#` prefix on its first line.
 */
const is = (n: Node, type: RegExp) => [].concat(n['@type']).some((t) => type.test(t));
/** The first of a list, or the value itself. */
const first = (v: unknown): any => [].concat(v as never)[0];
/** Text, or a field of an object (brand `{name}`, image `{url}`). */
const field = (v: any, key: string) => text(v?.[key] ?? v);

/**
 * A Node's product fields under Klaviyo's keys (those not stated undefined). A ProductGroup is one
 * product; its first variant supplies what the group does not state. Prices come from an Offer,
 * an AggregateOffer, a list of either, or a `priceSpecification` (a list or strikethrough price
 * is the CompareAtPrice).
 */
export function toProduct(node: Node): Product {
  const variant: Node = first(node.hasVariant) || {};
  const get = (k: string) => node[k] ?? variant[k];
  const offer: Node = first(get('offers')) || {};
  const category = get('category');
  const p: Product = {
    ProductName: text(get('name')),
    ProductID: text(node.productGroupID ?? get('productID')),
    // Squarespace states the SKU on the offer only.
    SKU: text(get('sku') ?? offer.sku),
    Categories: category ? [].concat(category).map(String) : undefined,
    ImageURL: field(first(get('image')), 'url'),
    URL: text(get('url')),
    Brand: field(first(get('brand')), 'name'),
    Price: parsePrice(offer.price ?? offer.lowPrice),
    Currency: text(offer.priceCurrency),
  };
  for (const spec of [].concat(offer.priceSpecification || []) as Node[]) {
    p.Currency ||= text(spec.priceCurrency);
    if (/(List|Strikethrough)Price$/.test(spec.priceType)) p.CompareAtPrice = parsePrice(spec.price);
    else p.Price ??= parsePrice(spec.price);
  }
  return p;
}

/**
 * Product, ProductGroup and article (ARTICLE) nodes in JSON-LD documents: top-level arrays and
 * containers searched, a group's variants not counted. An array states no `@type`: its elements are searched.
 */
export const productNodes = (value: any): Node[] =>
  value && typeof value == 'object'
    ? is(value, /^(.*[/#])?Product(Group)?$|(Article|Posting)$/)
      ? [value]
      : (Array.isArray(value) ? value : [value['@graph'], value.mainEntity, value.itemListElement, value.item]).flatMap(productNodes)
    : [];

/** An article's `@type`: one ending in `Article` or `Posting` (Article, NewsArticle, BlogPosting…). */
export const ARTICLE = /(Article|Posting)$/;

/**
 * The product node a page's JSON-LD (or its microdata, read as JSON-LD) describes; undefined when
 * it describes none or several (a category page, a carousel of related products): such a page is
 * not a product page. Nor is an editorial page, a blog post, a lookbook or a buying guide that
 * embeds one product's markup: where the same structured data also states an article, its product
 * is the page's own only if it states this page as its URL (the same path), as a product page's
 * Product does when a theme also marks up blog teasers (README, *Editorial pages*).
 */
export function nodeFromJsonLd(documents: unknown[]): Node | undefined {
  const found = productNodes(documents);
  const nodes = found.filter((n) => !is(n, ARTICLE));
  const product = nodes.find((n) => is(n, /^(.*[/#])?ProductGroup$/)) || nodes[0];
  if (
    new Set(nodes.map((n) => n['@id'] || n.productGroupID || n.productID || n.sku || n.name)).size == 1 &&
    // An article beside it: editorial, unless the product is this page's.
    (found.length == nodes.length || (product.url && new URL(product.url, location.href).pathname == location.pathname))
  )
    return product;
}

/** Parses each JSON-LD text on its own: a malformed one is undefined (productNodes skips it), the others still count. */
export const parseJsonLd = (texts: string[]): unknown[] => texts.map((t) => guard(() => JSON.parse(t)));

/** OpenGraph product tags (`og:type=product`, `product:price:amount`…), given as `property → content`. */
export function nodeFromOpenGraph(meta: Record<string, string>): Node | undefined {
  if (/product/.test(meta['og:type']))
    return {
      name: meta['og:title'],
      productID: meta['product:retailer_item_id'],
      image: meta['og:image'],
      url: meta['og:url'],
      brand: meta['product:brand'],
      offers: {
        price: meta['product:price:amount'] ?? meta['og:price:amount'],
        priceCurrency: meta['product:price:currency'] ?? meta['og:price:currency'],
      },
    };
}

/** Shopify's `ShopifyAnalytics.meta` on a product page (variant prices are in cents). */
export function nodeFromShopify(meta: Node | undefined): Node | undefined {
  const product = meta?.product;
  const variant: Node = first(product?.variants) || {};
  if (product)
    return {
      // The product's title: a variant's name is `Title - Variant` (its public_title).
      name: variant.name?.replace(' - ' + variant.public_title, ''),
      productID: product.id,
      sku: variant.sku,
      category: product.type,
      brand: product.vendor,
      offers: { price: variant.price / 100, priceCurrency: meta!.currency },
    };
}

/** BigCommerce's `BCData.product_attributes`: SKU and price (the name comes from the markup). */
export function nodeFromBigCommerce(data: Node | undefined): Node | undefined {
  const a = data?.product_attributes;
  const price: Node = a?.price?.with_tax || a?.price?.without_tax || {};
  if (a) return { sku: a.sku, offers: { price: price.value ?? price.formatted, priceCurrency: price.currency } };
}
