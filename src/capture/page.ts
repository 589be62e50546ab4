import { parseJsonLd, productFromBigCommerce, productFromJsonLd, productFromOpenGraph, productFromShopify, type Product } from './product';
import { parsePrice } from './price';

/** The microdata elements that belong to `scope` itself, not to an item nested in it. */
const own = (scope: Element, name: string): Element | undefined =>
  [...scope.querySelectorAll(`[itemprop~="${name}"]`)].find((el) => el.parentElement?.closest('[itemscope]') === scope);

/** A microdata value: `content`, `src` or `href`, a nested item's name, or the text. */
const value = (el: Element | undefined): string | undefined =>
  (el && (el.getAttribute('content') || el.getAttribute('src') || el.getAttribute('href') || (el.hasAttribute('itemscope') ? value(own(el, 'name')) : el.textContent))?.trim()) || undefined;

/** Microdata (`itemtype=…/Product`); a page with several product items is not a product page. */
export function productFromMicrodata(root: ParentNode): Product | undefined {
  const items = root.querySelectorAll('[itemscope][itemtype$="schema.org/Product"]');
  if (items.length != 1) return;
  const item = items[0];
  const offer = own(item, 'offers');
  const category = value(own(item, 'category'));
  return JSON.parse(
    JSON.stringify({
      ProductName: value(own(item, 'name')),
      ProductID: value(own(item, 'productID')),
      SKU: value(own(item, 'sku')),
      Categories: category ? [category] : undefined,
      ImageURL: value(own(item, 'image')),
      URL: value(own(item, 'url')),
      Brand: value(own(item, 'brand')),
      Price: offer && parsePrice(value(own(offer, 'price')) ?? value(own(offer, 'lowPrice'))),
      Currency: offer && value(own(offer, 'priceCurrency')),
    }),
  );
}

/**
 * The product this page is about, from the most trusted source that states one: JSON-LD,
 * microdata, OpenGraph product tags, then the globals platforms expose (Shopify's
 * `ShopifyAnalytics.meta`, BigCommerce's `BCData`). Undefined on pages that are not about one product.
 */
export function readProduct(doc: Document, globals: Record<string, any>): Product | undefined {
  const og: Record<string, string> = {};
  doc.querySelectorAll('meta[property]').forEach((m) => (og[m.getAttribute('property')!] = m.getAttribute('content') || ''));
  const sources = [
    () => productFromJsonLd(parseJsonLd([...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent || ''))),
    () => productFromMicrodata(doc),
    () => productFromOpenGraph(og),
    () => productFromShopify(globals.ShopifyAnalytics?.meta),
    () => productFromBigCommerce(globals.BCData),
  ];
  for (const source of sources) {
    try {
      const product = source();
      if (product) return product;
    } catch {
      // Markup we do not own: one source that breaks must not stop the others.
    }
  }
}
