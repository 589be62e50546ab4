import { guard } from '../guard';
import type { Extractor, Product } from '../types';
import { nodeFromBigCommerce, nodeFromJsonLd, nodeFromOpenGraph, nodeFromShopify, parseJsonLd, toProduct, type Node } from './product';

export type { Extractor };

/**
 * A microdata item as a JSON-LD node: its `itemtype` as `@type`, each of its own `itemprop`s as a
 * field — `content`, `src`, `href` or the text (the first of a name) — and nested items as a list
 * of nodes: all of those of a name, so that a list's elements and several offers all count.
 */
const item = (scope: Element): Node => {
  const node: Node = { '@type': scope.getAttribute('itemtype') };
  for (const el of scope.querySelectorAll('[itemprop]'))
    if (el.parentElement!.closest('[itemscope]') == scope) {
      const name = el.getAttribute('itemprop')!;
      if (el.hasAttribute('itemscope')) node[name] = [].concat(node[name] || [], item(el) as never);
      else node[name] ??= el.getAttribute('content') || el.getAttribute('src') || el.getAttribute('href') || el.textContent!.trim();
    }
  return node;
};

/**
 * The page's top-level microdata items, read as JSON-LD would state them. Items inside a product's
 * element are part of its page (PrestaShop's accessories, a pack's contents), not other products it is about.
 */
export const microdata = (root: ParentNode): Node[] =>
  [...root.querySelectorAll('[itemscope]:not([itemprop])')].flatMap((e) =>
    e.parentElement?.closest('[itemtype*=Product]') ? [] : item(e),
  );

/**
 * The sources of a page's product, in order of trust: a merchant's extractor, JSON-LD, microdata,
 * OpenGraph product tags, then the globals platforms expose (Shopify's `ShopifyAnalytics.meta`,
 * BigCommerce's `BCData`), so that e.g. Shopify's product id completes its JSON-LD. Each answers
 * what it found (see fromSource); `klite check` (cli/check-page.ts) reads them one by one.
 */
export function productSources(doc: Document, win: Record<string, any>, extract?: Extractor) {
  const og: Record<string, string> = {};
  doc.querySelectorAll('meta[property]').forEach((m) => (og[m.getAttribute('property')!] = (m as HTMLMetaElement).content));
  return [
    () => extract && extract(doc, win),
    () => nodeFromJsonLd(parseJsonLd([...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent!))),
    () => nodeFromJsonLd(microdata(doc)),
    () => nodeFromOpenGraph(og),
    () => nodeFromShopify(win.ShopifyAnalytics?.meta),
    () => nodeFromBigCommerce(win.BCData),
  ];
}

/**
 * Source `i`'s result under Klaviyo's keys: the merchant's extractor already speaks them, the
 * others give schema.org nodes. As JSON, without the fields left undefined (which would hide a
 * less trusted source's in the merge).
 */
export const fromSource = (found: any, i: number): Product => JSON.parse(JSON.stringify(i ? toProduct(found) : found));

/**
 * Each source's product on its own, under Klaviyo's keys, in productSources' order: null when it
 * found none, its error's message when it threw. How `klite check` and the debug view say where
 * each field came from; readProduct merges the same results without keeping them (its bytes).
 */
export const eachSource = (doc: Document, win: Record<string, any>, extract?: Extractor): (Product | string | null)[] =>
  productSources(doc, win, extract).map((source, i) => {
    try {
      const found = source();
      return found ? fromSource(found, i) : null;
    } catch (e) {
      return String((e as Error)?.message || e);
    }
  });

/**
 * The product this page is about, merged from every source that states one (productSources),
 * field by field in order of trust. Undefined on pages about no product, or several.
 * `url`: the product's URL when no source states one (the page's).
 */
export function readProduct(doc: Document, win: Record<string, any>, extract?: Extractor, url?: string): Product | undefined {
  let product: Product | undefined;
  // Markup klite does not own: one source that breaks must not stop the others (guard).
  productSources(doc, win, extract).forEach((source, i) =>
    guard(() => {
      const found = source();
      if (found) product = { .../*@__INLINE__*/ fromSource(found, i), ...product };
    }),
  );
  if (product) {
    product.ProductID ??= product.SKU;
    product.URL ||= url;
    return product;
  }
}
