// @vitest-environment happy-dom
// What readProduct reads on pages modelled on what each platform's theme renders
// (e2e/fixtures/capture): the expected Viewed Product of each, or none (expected.mjs there, which
// e2e/capture.spec.mjs shares for the pages it checks in Chromium).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readProduct } from '../../src/capture/page';
import { NOT_PRODUCT_PAGES, PRODUCT_PAGES } from '../../e2e/fixtures/capture/expected.mjs';

const fixture = (name: string) =>
  readFileSync(join(process.cwd(), `e2e/fixtures/capture/${name}.html`), 'utf8').replace(/^<!doctype html>/i, '');

/**
 * Loads a fixture at its storefront URL and runs its inline scripts (the platform globals they set,
 * a headless storefront's router) against the page, with `window` as their global object. Timers
 * are held: `late()` runs them, as a storefront that renders its product after load.
 */
function open(name: string, url: string) {
  (window as any).happyDOM.setURL(url);
  document.documentElement.innerHTML = fixture(name);
  const timers: (() => void)[] = [];
  const global: Record<string, any> = { document, location, history, addEventListener() {}, setTimeout: (f: () => void) => timers.push(f) };
  global.window = global;
  for (const s of document.querySelectorAll('script:not([type])')) runInNewContext(s.textContent!, global);
  return { global, late: () => timers.splice(0).forEach((f) => f()) };
}

const read = (global: Record<string, any>, url: string) => readProduct(document, global, undefined, url);

describe('the Viewed Product read on each storefront shape', () => {
  for (const row of [...PRODUCT_PAGES, ...NOT_PRODUCT_PAGES])
    it(`${row.viewed ? '' : 'none: '}${row.page}`, () => {
      const { global } = open(row.file, row.url);
      expect(read(global, row.url)).toEqual(row.viewed);
      if (row.urlIsPage) expect(row.viewed?.URL).toBe(row.url);
    });

  it("an editorial page's product counts only at its own URL: a product page that also marks up blog teasers", () => {
    const url = 'https://northwind.example/products/trail-boot';
    const { global } = open('shopify-product', url);
    document
      .querySelector('main')!
      .insertAdjacentHTML(
        'beforeend',
        '<aside><article itemscope itemtype="https://schema.org/BlogPosting"><h3 itemprop="headline">Waxing boots</h3></article>' +
          '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Trail notes"}</script></aside>',
      );
    expect(read(global, url)).toMatchObject({ ProductName: 'Trail Boot', URL: url });
    // The same structured data on a blog post (the product's JSON-LD states its URL): not that
    // page's product. A blog post has no product in og:type or ShopifyAnalytics.
    (window as any).happyDOM.setURL('https://northwind.example/blogs/journal/waxing-boots');
    document.querySelector('meta[property="og:type"]')!.setAttribute('content', 'article');
    delete global.ShopifyAnalytics;
    expect(read(global, location.href)).toBeUndefined();
  });

  it('the rule holds within one kind of structured data: an article in microdata does not make a JSON-LD product editorial', () => {
    // A product's JSON-LD and a microdata article, with no URL in the product: a product page whose
    // theme marks its blog teaser up in microdata. (Decided for bytes: each source decides for its own product.)
    const url = 'https://northwind.example/products/trail-boot';
    const { global } = open('shopify-product', url);
    const ld = document.querySelector('script[type="application/ld+json"]')!;
    ld.textContent = ld.textContent!.replace(/"url":\s*"[^"]*",?/g, '');
    document
      .querySelector('main')!
      .insertAdjacentHTML(
        'beforeend',
        '<article itemscope itemtype="https://schema.org/BlogPosting"><h3 itemprop="headline">Waxing boots</h3></article>',
      );
    expect(read(global, url)).toMatchObject({ ProductName: 'Trail Boot' });
  });

  it('a headless storefront that renders its product late: none at first, then the product', () => {
    const url = 'https://lumen.example/app/products/lamp';
    const { global, late } = open('headless-spa', url);
    expect(read(global, url)).toBeUndefined();
    late();
    expect(read(global, url)).toEqual({
      ProductName: 'Desk Lamp',
      ProductID: 'lamp-9',
      SKU: 'LM-DESK',
      URL: url,
      Price: 59,
      Currency: 'GBP',
    });
  });
});
