import { describe, expect, it } from 'vitest';
import {
  nodeFromBigCommerce,
  nodeFromJsonLd,
  nodeFromOpenGraph,
  nodeFromShopify,
  parseJsonLd,
  toProduct,
  type Node,
} from '../../src/capture/product';

// Each source gives a schema.org node; toProduct maps it to Klaviyo's keys.
const via =
  <A>(source: (a: A) => Node | undefined) =>
  (a: A) => {
    const node = source(a);
    return node && toProduct(node);
  };
const productFromJsonLd = via(nodeFromJsonLd);
const productFromOpenGraph = via(nodeFromOpenGraph);
const productFromShopify = via(nodeFromShopify);
const productFromBigCommerce = via(nodeFromBigCommerce);

const boot = {
  '@context': 'https://schema.org',
  '@type': 'Product',
  name: 'Trail Boot',
  sku: 'NW-BOOT-42',
  productID: 'boot-1',
  brand: { '@type': 'Brand', name: 'Northwind' },
  image: ['https://shop.example/boot.png', 'https://shop.example/boot-2.png'],
  category: 'Footwear',
  url: 'https://shop.example/boot',
  offers: { '@type': 'Offer', price: '129.00', priceCurrency: 'USD' },
};

describe('productFromJsonLd', () => {
  it('reads a Product with an Offer, brand as an object, image as an array', () => {
    expect(productFromJsonLd([boot])).toEqual({
      ProductName: 'Trail Boot',
      ProductID: 'boot-1',
      SKU: 'NW-BOOT-42',
      Categories: ['Footwear'],
      ImageURL: 'https://shop.example/boot.png',
      URL: 'https://shop.example/boot',
      Brand: 'Northwind',
      Price: 129,
      Currency: 'USD',
    });
  });
  it('reads an AggregateOffer, brand as text, image as an object; only stated fields', () => {
    expect(
      productFromJsonLd([
        {
          '@type': 'Product',
          name: 'Rain Jacket',
          brand: 'Northwind',
          image: { '@type': 'ImageObject', url: 'j.png' },
          offers: { '@type': 'AggregateOffer', lowPrice: '89.00', highPrice: '119.00', priceCurrency: 'EUR' },
        },
      ]),
    ).toEqual({
      ProductName: 'Rain Jacket',
      Brand: 'Northwind',
      ImageURL: 'j.png',
      Price: 89,
      Currency: 'EUR',
    });
  });
  it('reads priceSpecification, with a strikethrough price as CompareAtPrice', () => {
    const p = productFromJsonLd([
      {
        '@type': 'Product',
        name: 'Mug',
        offers: [
          {
            '@type': 'Offer',
            priceSpecification: [
              { price: '18,00', priceCurrency: 'EUR', priceType: 'https://schema.org/StrikethroughPrice' },
              { price: '14,50', priceCurrency: 'EUR' },
            ],
          },
        ],
      },
    ]);
    expect(p).toEqual({ ProductName: 'Mug', Price: 14.5, CompareAtPrice: 18, Currency: 'EUR' });
  });
  it('finds the product in @graph containers and top-level arrays, next to other nodes', () => {
    const graph = { '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage', name: 'x' }, { '@type': 'BreadcrumbList' }, boot] };
    expect(productFromJsonLd([graph])?.ProductName).toBe('Trail Boot');
    expect(productFromJsonLd([[{ '@type': 'Organization' }, boot]])?.ProductName).toBe('Trail Boot');
    expect(productFromJsonLd([{ '@type': ['Product', 'Thing'], name: 'Typed twice' }])?.ProductName).toBe('Typed twice');
  });
  it('reads a ProductGroup with variants as one product', () => {
    const group = {
      '@type': 'ProductGroup',
      name: 'Tee',
      productGroupID: 'tee',
      brand: 'NW',
      hasVariant: [
        { '@type': 'Product', sku: 'tee-s', name: 'Tee S', offers: { price: '20', priceCurrency: 'USD' } },
        { '@type': 'Product', sku: 'tee-m', name: 'Tee M' },
      ],
    };
    expect(productFromJsonLd([group])).toEqual({
      ProductName: 'Tee',
      ProductID: 'tee',
      SKU: 'tee-s',
      Brand: 'NW',
      Price: 20,
      Currency: 'USD',
    });
  });
  it('is not a product page when several products are listed (category, carousel)', () => {
    const list = {
      '@type': 'ItemList',
      itemListElement: [
        { '@type': 'ListItem', item: boot },
        { '@type': 'ListItem', item: { ...boot, productID: 'other', name: 'Other' } },
      ],
    };
    expect(productFromJsonLd([list])).toBeUndefined();
    expect(productFromJsonLd([boot, { ...boot, productID: 'related', name: 'Related' }])).toBeUndefined();
    expect(productFromJsonLd([{ '@type': 'Article', name: 'Blog' }])).toBeUndefined();
    // The same product stated twice is still one product.
    expect(productFromJsonLd([boot, boot])?.ProductID).toBe('boot-1');
  });
  it('skips malformed JSON-LD and reads the rest', () => {
    expect(productFromJsonLd(parseJsonLd(['{ not json', JSON.stringify(boot)]))?.ProductName).toBe('Trail Boot');
  });
});

describe('other sources', () => {
  it('reads OpenGraph product tags', () => {
    expect(
      productFromOpenGraph({
        'og:type': 'product',
        'og:title': 'Boot',
        'og:image': 'b.png',
        'og:url': 'https://s/b',
        'product:price:amount': '1.299,00',
        'product:price:currency': 'EUR',
      }),
    ).toEqual({
      ProductName: 'Boot',
      ImageURL: 'b.png',
      URL: 'https://s/b',
      Price: 1299,
      Currency: 'EUR',
    });
    expect(productFromOpenGraph({ 'og:type': 'website', 'og:title': 'Home' })).toBeUndefined();
  });
  it("reads Shopify's ShopifyAnalytics.meta (prices in cents)", () => {
    expect(
      productFromShopify({
        currency: 'USD',
        product: { id: 7, vendor: 'NW', type: 'Boots', variants: [{ id: 70, price: 12900, name: 'Trail Boot - 42', sku: 'B42' }] },
      }),
    ).toEqual({
      ProductName: 'Trail Boot - 42',
      ProductID: '7',
      SKU: 'B42',
      Categories: ['Boots'],
      Brand: 'NW',
      Price: 129,
      Currency: 'USD',
    });
    expect(productFromShopify({ page: { pageType: 'collection' } })).toBeUndefined();
  });
  it("reads BigCommerce's BCData", () => {
    expect(
      productFromBigCommerce({
        product_attributes: { sku: 'BC-1', price: { without_tax: { value: 49.5, currency: 'USD', formatted: '$49.50' } } },
      }),
    ).toEqual({ SKU: 'BC-1', Price: 49.5, Currency: 'USD' });
    expect(productFromBigCommerce({})).toBeUndefined();
  });
});
