import { microdata, readProduct } from '../capture/page';
import { nodeFromBigCommerce, nodeFromJsonLd, nodeFromOpenGraph, nodeFromShopify, parseJsonLd, toProduct } from '../capture/product';
import { routeOf } from '../capture/route';
import { guard } from '../guard';
import type { Extractor, Product } from '../types';

/**
 * Each source `readProduct` (capture/page.ts) merges, on its own, in its order of trust: the same
 * list, so the debug view can say where each field came from. test/debug/capture.test.ts checks
 * that merging these gives readProduct's own answer on every capture fixture, so a source added
 * there and not here fails a test.
 */
export function productSources(doc: Document, win: Record<string, any>, extract?: Extractor): [string, Product | undefined][] {
  const og: Record<string, string> = {};
  doc.querySelectorAll('meta[property]').forEach((m) => (og[m.getAttribute('property')!] = (m as HTMLMetaElement).content));
  const node = (f: () => any) => guard(() => JSON.parse(JSON.stringify(toProduct(f()!)))) as Product | undefined;
  return [
    ['capture.extract', guard(() => (extract && extract(doc, win)) || undefined) as Product | undefined],
    [
      'JSON-LD',
      node(() => nodeFromJsonLd(parseJsonLd([...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent!)))),
    ],
    ['microdata', node(() => nodeFromJsonLd(microdata(doc)))],
    ['OpenGraph', node(() => nodeFromOpenGraph(og))],
    ['ShopifyAnalytics', node(() => nodeFromShopify(win.ShopifyAnalytics?.meta))],
    ['BCData', node(() => nodeFromBigCommerce(win.BCData))],
  ];
}

/** The product klite reads on this page, each field with the source it came from; undefined when klite reads none. */
export function capturedProduct(doc: Document, win: Record<string, any>, href: string, extract?: Extractor) {
  const product = readProduct(doc, win, extract, routeOf(href));
  if (!product) return;
  const sources = productSources(doc, win, extract);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) == JSON.stringify(b);
  const fields = Object.entries(product)
    .filter(([, v]) => v !== undefined)
    .map(([field, value]): [string, unknown, string] => {
      const from = sources.find(([, p]) => p && same((p as any)[field], value))?.[0];
      const derived = field == 'ProductID' ? 'SKU' : field == 'URL' ? 'page URL' : 'merged';
      return [field, value, from || derived];
    });
  return { product, fields };
}
