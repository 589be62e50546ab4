import { notItsOwn } from '../capture/editorial';
import { fromSource, productSources, readProduct } from '../capture/page';
import { routeOf } from '../capture/route';
import { SOURCES } from '../cli/sources';
import { guard } from '../guard';
import type { Extractor, Product } from '../types';

/**
 * The product klite reads on this page, each field with the source it came from (auto-capture's
 * own sources, capture/page.ts productSources, named as `klite check` names them); undefined when
 * klite reads none. `editorial`: the sources state a product but the page is editorial
 * (capture/editorial.ts), so klite sends no Viewed Product.
 */
export function capturedProduct(doc: Document, win: Record<string, any>, href: string, extract?: Extractor) {
  const sources = productSources(doc, win, extract).map((source, i): Product | undefined =>
    guard(() => {
      const found = source();
      return found ? fromSource(found, i) : undefined;
    }),
  );
  const product = readProduct(doc, win, extract, routeOf(href));
  if (!product) {
    const stated = sources.find((p) => p && Object.keys(p).length);
    return stated && notItsOwn(doc, stated.URL) ? { editorial: stated } : undefined;
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) == JSON.stringify(b);
  const fields = Object.entries(product)
    .filter(([, v]) => v !== undefined)
    .map(([field, value]): [string, unknown, string] => {
      const i = sources.findIndex((p) => p && same((p as any)[field], value));
      const derived = field == 'ProductID' ? 'SKU' : field == 'URL' ? 'page URL' : 'merged';
      return [field, value, i < 0 ? derived : SOURCES[i]];
    });
  return { product, fields };
}
