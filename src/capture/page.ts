import { nodeFromBigCommerce, nodeFromJsonLd, nodeFromOpenGraph, nodeFromShopify, parseJsonLd, toProduct, type Node, type Product } from './product';

/** A merchant's own reader for a page shape klite does not know; it runs before the built-in ones. */
export type Extractor = (doc: Document, win: Record<string, any>) => Product | undefined | null;

/** The microdata elements that belong to `scope` itself, not to an item nested in it. */
const own = (scope: Element, name: string): Element | undefined =>
  [...scope.querySelectorAll(`[itemprop~="${name}"]`)].find((el) => el.parentElement!.closest('[itemscope]') == scope);

/** A microdata value: `content`, `src` or `href`, a nested item's name, or the text. */
const value = (el: Element | undefined): string | undefined =>
  el && (el.getAttribute('content') || el.getAttribute('src') || el.getAttribute('href') || (el.hasAttribute('itemscope') ? value(own(el, 'name')) : el.textContent!.trim()));

const read = (scope: Element | undefined, names: string) => {
  const node: Node = {};
  if (scope) for (const name of names.split(' ')) node[name] = value(own(scope, name));
  return node;
};

/** Microdata (`itemtype=…/Product`) as a Node; a page with several product items is not a product page. */
export function nodeFromMicrodata(root: ParentNode): Node | undefined {
  const items = root.querySelectorAll('[itemscope][itemtype$="schema.org/Product"]');
  if (items.length == 1) {
    const node = read(items[0], 'name productID sku category image url brand');
    node.offers = read(own(items[0], 'offers'), 'price lowPrice priceCurrency');
    return node;
  }
}

/**
 * The product this page is about, merged from every source that states one, field by field in
 * order of trust: a merchant's extractor, JSON-LD, microdata, OpenGraph product tags, then the
 * globals platforms expose (Shopify's `ShopifyAnalytics.meta`, BigCommerce's `BCData`), so that
 * e.g. Shopify's product id completes its JSON-LD. Undefined on pages about no product, or several.
 */
export function readProduct(doc: Document, win: Record<string, any>, extract?: Extractor): Product | undefined {
  const og: Record<string, string> = {};
  doc.querySelectorAll('meta[property]').forEach((m) => (og[m.getAttribute('property')!] = (m as HTMLMetaElement).content));
  const sources = [
    () => extract && extract(doc, win),
    () => nodeFromJsonLd(parseJsonLd([...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent!))),
    () => nodeFromMicrodata(doc),
    () => nodeFromOpenGraph(og),
    () => nodeFromShopify(win.ShopifyAnalytics?.meta),
    () => nodeFromBigCommerce(win.BCData),
  ];
  let product: Product | undefined;
  sources.forEach((source, i) => {
    try {
      const found = source();
      // The merchant's extractor already speaks Klaviyo's keys; the others give schema.org nodes.
      if (found) product = { ...(i ? toProduct(found) : JSON.parse(JSON.stringify(found))), ...product };
    } catch {
      // Markup klite does not own: one source that breaks must not stop the others.
    }
  });
  if (product) product.ProductID ??= product.SKU;
  return product;
}
