// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { microdata, readProduct } from '../../src/capture/page';
import { nodeFromJsonLd, toProduct } from '../../src/capture/product';

const productFromMicrodata = (root: ParentNode) => toProduct(nodeFromJsonLd(microdata(root))!);

const load = (html: string) => {
  document.documentElement.innerHTML = html;
  return document;
};
// happy-dom replaces import.meta.url's base; the suite runs from the repository root.
const demo = (name: string) =>
  readFileSync(join(process.cwd(), `demo/public/products/${name}.html`), 'utf8')
    .replace(/^<!doctype html>/i, '')
    .replace(/<link[^>]*>/g, '');

describe('readProduct on the demo shop pages', () => {
  it('reads JSON-LD with an Offer', () => {
    expect(readProduct(load(demo('trail-boot')), window)).toEqual({
      ProductName: 'Trail Boot',
      ProductID: 'boot-1',
      SKU: 'NW-BOOT-42',
      Categories: ['Footwear'],
      ImageURL: '/img/trail-boot.png',
      Brand: 'Northwind',
      Price: 129,
      Currency: 'USD',
    });
  });
  it('reads JSON-LD with an AggregateOffer', () => {
    expect(readProduct(load(demo('rain-jacket')), window)).toMatchObject({
      ProductName: 'Rain Jacket',
      Brand: 'Northwind',
      Price: 89,
      Currency: 'USD',
    });
  });
  it('reads microdata', () => {
    expect(readProduct(load(demo('camp-mug')), window)).toEqual({
      ProductName: 'Camp Mug',
      ProductID: 'mug-1',
      SKU: 'NW-MUG',
      Brand: 'Northwind',
      Price: 14.5,
      Currency: 'USD',
    });
  });
});

describe('readProduct', () => {
  it('falls back to OpenGraph, then to platform globals', () => {
    expect(
      readProduct(
        load(
          '<head><meta property="og:type" content="product"><meta property="og:title" content="OG Boot"><meta property="product:price:amount" content="$1,299.00"><meta property="product:price:currency" content="USD"></head>',
        ),
        window,
      ),
    ).toEqual({ ProductName: 'OG Boot', Price: 1299, Currency: 'USD' });
    expect(
      readProduct(load('<body></body>'), {
        ShopifyAnalytics: { meta: { currency: 'CAD', product: { id: 1, variants: [{ price: 500, name: 'Hat' }] } } },
      }),
    ).toEqual({ ProductName: 'Hat', ProductID: '1', Price: 5, Currency: 'CAD' });
    expect(
      readProduct(load('<body></body>'), { BCData: { product_attributes: { sku: 'S', price: { without_tax: { value: 3 } } } } }),
    ).toEqual({ ProductID: 'S', SKU: 'S', Price: 3 });
  });
  it('is undefined on pages about no product or several, and survives malformed JSON-LD', () => {
    expect(readProduct(load('<body><article>Blog</article></body>'), window)).toBeUndefined();
    const two =
      '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">A</span></div><div itemscope itemtype="https://schema.org/Product"><span itemprop="name">B</span></div>';
    expect(readProduct(load(two), window)).toBeUndefined();
    const html =
      '<script type="application/ld+json">{ broken</script><script type="application/ld+json">{"@type":"Product","name":"Still read"}</script>';
    expect(readProduct(load(html), window)).toEqual({ ProductName: 'Still read' });
  });
  it("takes a nested item's name and the offer's price, not a nested item's own fields", () => {
    const html = `<div itemscope itemtype="http://schema.org/Product">
      <div itemprop="brand" itemscope itemtype="http://schema.org/Brand"><span itemprop="name">Acme</span></div>
      <h1 itemprop="name">Anvil</h1>
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price">1.299,00</span><meta itemprop="priceCurrency" content="EUR"></div>
    </div>`;
    expect(productFromMicrodata(load(html))).toEqual({ ProductName: 'Anvil', Brand: 'Acme', Price: 1299, Currency: 'EUR' });
  });
});

describe('readProduct merging sources', () => {
  it("completes JSON-LD with lower sources, higher trust winning per field (Shopify's product id)", () => {
    const html =
      '<script type="application/ld+json">{"@type":"Product","name":"Trail Boot","sku":"B42","offers":{"price":"129.00","priceCurrency":"USD"}}</script>';
    const shopify = {
      ShopifyAnalytics: {
        meta: {
          currency: 'USD',
          product: { id: 7001, type: 'Boots', vendor: 'NW', variants: [{ price: 100, name: 'Trail Boot - 42', sku: 'B42' }] },
        },
      },
    };
    expect(readProduct(load(html), shopify)).toEqual({
      ProductName: 'Trail Boot',
      ProductID: '7001',
      SKU: 'B42',
      Categories: ['Boots'],
      Brand: 'NW',
      Price: 129,
      Currency: 'USD',
    });
  });
  it("runs the merchant's extractor first; one that throws is skipped", () => {
    const html = '<script type="application/ld+json">{"@type":"Product","name":"From JSON-LD","sku":"S1"}</script>';
    expect(readProduct(load(html), window, () => ({ ProductName: 'Custom', Price: 5 }))).toEqual({
      ProductName: 'Custom',
      SKU: 'S1',
      ProductID: 'S1',
      Price: 5,
    });
    expect(
      readProduct(load(html), window, () => {
        throw new Error('theme changed');
      }),
    ).toEqual({ ProductName: 'From JSON-LD', SKU: 'S1', ProductID: 'S1' });
  });
});
