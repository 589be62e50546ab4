// @vitest-environment happy-dom
// What readProduct reads on pages modelled on what each platform's theme renders
// (e2e/fixtures/capture): the expected Viewed Product of each, or none. Table-driven: a new
// storefront shape is one fixture and one row. e2e/capture.spec.mjs checks a few in Chromium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readProduct } from '../../src/capture/page';
import type { Product } from '../../src/types';

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

interface Row {
  page: string;
  file: string;
  url: string;
  viewed: Product | undefined;
}

const PRODUCT_PAGES: Row[] = [
  {
    page: 'PrestaShop 1.7 classic: microdata on section#main, <meta itemprop=url>, SKU in the details tab, accessories inside the product',
    file: 'prestashop17-product',
    url: 'https://boutique.example/fr/hommes/1-1-t-shirt-imprime-colibri.html',
    viewed: {
      ProductName: 'T-shirt imprimé colibri',
      ProductID: 'demo_1',
      SKU: 'demo_1',
      ImageURL: 'https://boutique.example/2-large_default/t-shirt-imprime-colibri.jpg',
      URL: 'https://boutique.example/fr/hommes/1-1-t-shirt-imprime-colibri.html#/1-taille-s/8-couleur-blanc',
      Price: 22.944,
      Currency: 'EUR',
    },
  },
  {
    page: 'PrestaShop 8 classic: head JSON-LD (Organization, WebPage, BreadcrumbList, Product with combination offers), body microdata, related products',
    file: 'prestashop8-product',
    url: 'https://ps8.example/en/home-accessories/16-28-mountain-fox-cushion.html',
    viewed: {
      ProductName: 'Mountain fox cushion',
      ProductID: 'demo_16',
      SKU: 'demo_16',
      Categories: ['Home Accessories'],
      ImageURL: 'https://ps8.example/21-home_default/mountain-fox-cushion.jpg',
      URL: 'https://ps8.example/en/home-accessories/16-28-mountain-fox-cushion.html#/8-color-white',
      Brand: 'Studio Design',
      Price: 22.68,
      Currency: 'GBP',
    },
  },
  {
    page: 'Magento 2 Luma: microdata on <body>, price as <meta itemprop> in the Offer',
    file: 'magento-product',
    url: 'https://magento.example/camp-stove.html',
    viewed: {
      ProductName: 'Camp Stove',
      ProductID: 'NW-STOVE',
      SKU: 'NW-STOVE',
      ImageURL: 'https://magento.example/media/catalog/product/cache/1/image/700x700/camp-stove.jpg',
      URL: 'https://magento.example/camp-stove.html',
      Price: 1299,
      Currency: 'SEK',
    },
  },
  {
    page: 'Magento 2 Hyvä: body microdata (name, Offer), OpenGraph for image and URL; the SKU is in no markup',
    file: 'magento-hyva-product',
    url: 'https://hyva.example/camp-kettle.html',
    viewed: {
      ProductName: 'Camp Kettle',
      ImageURL: 'https://hyva.example/media/catalog/product/cache/5d4e/k/e/kettle.jpg',
      URL: 'https://hyva.example/camp-kettle.html',
      Price: 39.5,
      Currency: 'GBP',
    },
  },
  {
    page: 'WooCommerce classic: JSON-LD @graph, priceSpecification with a list price, og:type article (its own URL)',
    file: 'woocommerce-product',
    url: 'https://wren.example/shop/product/rain-jacket/',
    viewed: {
      ProductName: 'Rain Jacket',
      ProductID: 'WR-RJ',
      SKU: 'WR-RJ',
      ImageURL: 'https://wren.example/wp-content/uploads/2026/03/rain-jacket.jpg',
      URL: 'https://wren.example/shop/product/rain-jacket/',
      Price: 89,
      CompareAtPrice: 119,
      Currency: 'EUR',
    },
  },
  {
    page: "WooCommerce Blocks theme with Yoast: Yoast's @graph, og:type article, a variable product's AggregateOffer",
    file: 'woocommerce-blocks-product',
    url: 'https://fenwick.example/product/merino-jumper/',
    viewed: {
      ProductName: 'Merino Jumper',
      ProductID: 'FK-MERINO',
      SKU: 'FK-MERINO',
      ImageURL: 'https://fenwick.example/wp-content/uploads/2026/09/merino-jumper.jpg',
      URL: 'https://fenwick.example/product/merino-jumper/',
      Price: 65,
      Currency: 'GBP',
    },
  },
  {
    page: 'Shopify Dawn: JSON-LD completed by ShopifyAnalytics.meta',
    file: 'shopify-product',
    url: 'https://northwind.example/products/trail-boot',
    viewed: {
      ProductName: 'Trail Boot',
      ProductID: '7001',
      SKU: 'NW-BOOT-42',
      Categories: ['Boots'],
      ImageURL: 'https://northwind.example/cdn/shop/files/trail-boot.png?v=1&width=1920',
      URL: 'https://northwind.example/products/trail-boot',
      Brand: 'Northwind',
      Price: 129,
      Currency: 'USD',
    },
  },
  {
    page: "a legacy Shopify theme: ShopifyAnalytics.meta only (the product's title, not its first variant's name)",
    file: 'shopify-legacy-product',
    url: 'https://harbour.example/products/wool-beanie',
    viewed: {
      ProductName: 'Wool Beanie',
      ProductID: '8123',
      SKU: 'WB-RED',
      Categories: ['Hats'],
      URL: 'https://harbour.example/products/wool-beanie',
      Brand: 'Harbour',
      Price: 24,
      Currency: 'CAD',
    },
  },
  {
    page: 'BigCommerce Cornerstone: microdata with a nested Brand and priceSpecification, BCData',
    file: 'bigcommerce-product',
    url: 'https://summit.example/camp-mug/',
    viewed: {
      ProductName: 'Camp Mug',
      ProductID: 'NW-MUG',
      SKU: 'NW-MUG',
      ImageURL: 'https://cdn11.bigcommerce.example/s-x/images/stencil/608x608/products/112/camp-mug.jpg',
      URL: 'https://summit.example/camp-mug/',
      Brand: 'Northwind',
      Price: 14.5,
      Currency: 'USD',
    },
  },
  {
    page: "Wix Stores: JSON-LD with an ImageObject and capitalised Offers, completed by OpenGraph's product.item tags",
    file: 'wix-product',
    url: 'https://www.oakthread.example/product-page/linen-apron',
    viewed: {
      ProductName: 'Linen Apron',
      ProductID: 'OT-APRON-01',
      SKU: 'OT-APRON-01',
      ImageURL: 'https://static.wixstatic.com/media/a1b2c3_4d5e~mv2.jpg/v1/fill/w_1000,h_1000,al_c,q_85/a1b2c3_4d5e~mv2.jpg',
      URL: 'https://www.oakthread.example/product-page/linen-apron',
      Price: 38,
      Currency: 'USD',
    },
  },
  {
    page: 'Squarespace 7.1: JSON-LD with the SKU on the offer, page-level <meta itemprop> outside any item',
    file: 'squarespace-product',
    url: 'https://kilngoods.example/shop/p/ceramic-pour-over',
    viewed: {
      ProductName: 'Ceramic Pour-Over',
      ProductID: 'SQ7716352',
      SKU: 'SQ7716352',
      ImageURL: 'http://static1.squarespace.example/static/5f1/t/64a/pour-over.jpg?format=1500w',
      URL: 'https://kilngoods.example/shop/p/ceramic-pour-over',
      Brand: 'Kiln Goods',
      Price: 48,
      Currency: 'USD',
    },
  },
  {
    page: 'OpenGraph product tags only',
    file: 'opengraph-product',
    url: 'https://laden.example/laterne',
    viewed: {
      ProductName: 'Laterne aus Messing',
      ProductID: 'LAT-7',
      ImageURL: 'https://laden.example/bilder/laterne.jpg',
      URL: 'https://laden.example/laterne',
      Brand: 'Werkstatt Nord',
      Price: 1299,
      Currency: 'EUR',
    },
  },
];

const NOT_PRODUCT_PAGES: Row[] = [
  {
    page: "a blog post (Shopify Dawn): BlogPosting JSON-LD, a featured product's JSON-LD at its own URL",
    file: 'blog-post-product',
    url: 'https://northwind.example/blogs/journal/five-autumn-trails',
    viewed: undefined,
  },
  {
    page: 'a lookbook: a microdata Article with a Product card in it',
    file: 'lookbook',
    url: 'https://coast.example/pages/lookbook',
    viewed: undefined,
  },
  {
    page: "a buying guide: an Article as the WebPage's mainEntity, the pick's Product JSON-LD",
    file: 'buying-guide',
    url: 'https://basecamp.example/guides/choosing-a-tent',
    viewed: undefined,
  },
  { page: 'a blog post without product markup', file: 'article', url: 'https://northwind.example/blogs/care/wax', viewed: undefined },
  {
    page: 'a PrestaShop 1.7 category: a microdata ItemList of miniatures',
    file: 'prestashop17-category',
    url: 'https://boutique.example/fr/3-vetements',
    viewed: undefined,
  },
  {
    page: 'a JSON-LD ItemList category',
    file: 'category-itemlist',
    url: 'https://northwind.example/collections/footwear',
    viewed: undefined,
  },
  {
    page: 'a WooCommerce category',
    file: 'woocommerce-category',
    url: 'https://wren.example/product-category/outerwear/',
    viewed: undefined,
  },
  {
    page: "a Shopify search page: ShopifyAnalytics.meta's products list",
    file: 'shopify-search',
    url: 'https://northwind.example/search?q=boot',
    viewed: undefined,
  },
  { page: 'a carousel of microdata products', file: 'related-carousel', url: 'https://northwind.example/pages/picks', viewed: undefined },
];

describe('the Viewed Product read on each storefront shape', () => {
  for (const row of [...PRODUCT_PAGES, ...NOT_PRODUCT_PAGES])
    it(`${row.viewed ? '' : 'none: '}${row.page}`, () => {
      const { global } = open(row.file, row.url);
      expect(read(global, row.url)).toEqual(row.viewed);
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
