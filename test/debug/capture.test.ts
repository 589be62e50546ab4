// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProduct } from '../../src/capture/page';
import { capturedProduct, productSources } from '../../src/debug/capture';

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

describe('the debug view reads the sources readProduct merges', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.html')))
    it(`merging them in order of trust is readProduct's answer: ${name}`, () => {
      const doc = load(readFileSync(join(fixtures, name), 'utf8'));
      let merged: Record<string, unknown> | undefined;
      for (const [, p] of productSources(doc, window)) if (p) merged = { ...p, ...merged };
      const read = readProduct(doc, window, undefined, 'https://shop.example/p');
      if (merged) {
        (merged as any).ProductID ??= merged.SKU;
        (merged as any).URL ||= 'https://shop.example/p';
      }
      expect(read ? merged : undefined).toEqual(read);
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
