import { eachSource, microdata, readProduct } from '../capture/page';
import { ARTICLE, parseJsonLd, productNodes } from '../capture/product';
import { routeOf } from '../capture/route';
import { SOURCES } from '../cli/sources';
import { guard } from '../guard';
import type { Extractor } from '../types';
import type { Node } from '../capture/product';

/**
 * The name of the product an editorial page's structured data states beside an article, which
 * klite does not send (capture/product.ts nodeFromJsonLd); undefined on other pages.
 */
function editorialProduct(doc: Document): string | undefined {
  const jsonLd = parseJsonLd([...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent!));
  for (const nodes of [productNodes(jsonLd), productNodes(microdata(doc))]) {
    const article = (n: Node) => [].concat(n['@type']).some((t) => ARTICLE.test(t));
    const product = nodes.find((n) => !article(n));
    if (product && nodes.some(article)) return String(product.name ?? product.sku ?? '?');
  }
}

/**
 * The product klite reads on this page, each field with the source it came from (auto-capture's
 * own sources, capture/page.ts productSources, named as `klite check` names them); undefined when
 * klite reads none. `editorial`: the name of the product an editorial page shows, for which klite
 * sends no Viewed Product.
 */
export function capturedProduct(doc: Document, win: Record<string, any>, href: string, extract?: Extractor) {
  const product = readProduct(doc, win, extract, routeOf(href));
  if (!product) {
    const editorial = guard(() => editorialProduct(doc));
    return editorial ? { editorial } : undefined;
  }
  const sources = eachSource(doc, win, extract);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) == JSON.stringify(b);
  const fields = Object.entries(product)
    .filter(([, v]) => v !== undefined)
    .map(([field, value]): [string, unknown, string] => {
      const i = sources.findIndex((p) => typeof p == 'object' && same((p as any)?.[field], value));
      const derived = field == 'ProductID' ? 'SKU' : field == 'URL' ? 'page URL' : 'merged';
      return [field, value, i < 0 ? derived : SOURCES[i]];
    });
  return { product, fields };
}
