// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProduct } from '../../src/capture/page';
import { capturedProduct } from '../../src/debug/capture';

const fixtures = join(process.cwd(), 'e2e/fixtures/capture');
const load = (html: string) => {
  document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '');
  // Inline scripts do not run here: the platform globals they set are set by hand below.
  const w = window as any;
  delete w.ShopifyAnalytics;
  delete w.BCData;
  for (const s of document.querySelectorAll('script:not([type]), script[type="text/javascript"]'))
    try {
      new Function(s.textContent!)();
    } catch {}
  return document;
};

describe('the debug view shows what auto-capture reads', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.html')))
    it(`its product is readProduct's, each field with a source: ${name}`, () => {
      const doc = load(readFileSync(join(fixtures, name), 'utf8'));
      const read = readProduct(doc, window, undefined, 'https://shop.example/p');
      const found = capturedProduct(doc, window, 'https://shop.example/p');
      expect(found?.product).toEqual(read);
      for (const [field, , from] of found?.fields || []) expect(from, field).not.toBe('merged');
      // An editorial page's product is shown as such, and only there.
      expect(!!found?.editorial).toBe(/^(blog-post|buying-guide|lookbook)/.test(name));
    });

  it('names the source of each field', () => {
    const doc = load(
      '<head><meta property="og:type" content="product"><meta property="product:price:amount" content="49.00">' +
        '<script type="application/ld+json">{"@type":"Product","name":"Linen Shirt","sku":"LS-1"}</script></head>',
    );
    const { fields } = capturedProduct(doc, window, 'https://shop.example/p/linen')!;
    expect(Object.fromEntries(fields.map(([field, value, from]) => [field, [value, from]]))).toEqual({
      ProductName: ['Linen Shirt', 'JSON-LD'],
      Price: [49, 'OpenGraph'],
      SKU: ['LS-1', 'JSON-LD'],
      ProductID: ['LS-1', 'SKU'],
      URL: ['https://shop.example/p/linen', 'page URL'],
    });
    expect(capturedProduct(load('<p>No product</p>'), window, 'https://shop.example/')).toBeUndefined();
  });
});
