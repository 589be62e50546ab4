// @vitest-environment happy-dom
// `klite check`'s pure parts: the events read from klite's request bodies, each Viewed Product
// field's source, the printed report, the probe's reading of a page, and bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/cli/check';
import type { PageReport } from '../../src/cli/check-page';
import { attribute, eventsOf, format, report, type Recorded } from '../../src/cli/check-report';
import { SOURCES } from '../../src/cli/sources';

const event = (name: string, properties: Record<string, unknown>) => ({
  type: 'event',
  attributes: { properties, metric: { data: { type: 'metric', attributes: { name } } } },
});
const PROFILE = { data: { type: 'profile', attributes: { email: 'klite-check@example.com' } } };
const REQUESTS: Recorded[] = [
  { path: '/client/profiles/', body: PROFILE },
  { path: '/client/events/', body: { data: event('__activity__', { page: '/p' }) } },
  {
    path: '/client/event-bulk-create/',
    body: {
      data: {
        type: 'event-bulk-create',
        attributes: {
          profile: PROFILE,
          events: {
            data: [
              event('__activity__', {}),
              event('Viewed Product', {
                ProductName: 'Trail Boot',
                ProductID: '7001',
                Price: 129,
                URL: 'https://x.example/p',
                $use_ip: true,
              }),
            ],
          },
        },
      },
    },
  },
];

/** The probe's answer on a Shopify page: JSON-LD states the name and price, ShopifyAnalytics.meta the id and (also) the name. */
const PAGE: PageReport = {
  sources: [
    null,
    { ProductName: 'Trail Boot', Price: 129 },
    null,
    null,
    { ProductName: 'Trail Boot', ProductID: '7001', Price: 129 },
    null,
  ],
  platform: 'Shopify',
  signals: [],
  answers: [],
};

describe('eventsOf', () => {
  it('reads one event from /client/events and each of a bulk body, not profiles', () => {
    expect(eventsOf(REQUESTS).map((e) => e.metric)).toEqual(['__activity__', '__activity__', 'Viewed Product']);
    expect(eventsOf([{ path: '/client/events/', body: null }])).toEqual([]);
  });
});

describe('attribute', () => {
  it('names the most trusted source stating each value, as readProduct merges them', () => {
    expect(attribute({ ProductName: 'Trail Boot', ProductID: '7001', Price: 129 }, PAGE.sources)).toEqual([
      { field: 'ProductName', value: 'Trail Boot', source: 'JSON-LD' },
      { field: 'ProductID', value: '7001', source: 'ShopifyAnalytics.meta' },
      { field: 'Price', value: 129, source: 'JSON-LD' },
    ]);
  });

  it("compares values, not keys: a less trusted source's value is its own", () => {
    const sources = [null, { Price: 10 }, null, { Price: 12 }, null, null];
    expect(attribute({ Price: 12 }, sources)[0].source).toBe('OpenGraph');
  });

  it("says what klite made itself: the id from the SKU, the page's URL; and leaves out klite's $-properties", () => {
    const sources = [null, null, { SKU: 'NW-MUG' }, null, null, null];
    expect(attribute({ SKU: 'NW-MUG', ProductID: 'NW-MUG', URL: 'http://127.0.0.1/p', $use_ip: true }, sources)).toEqual([
      { field: 'SKU', value: 'NW-MUG', source: 'microdata' },
      { field: 'ProductID', value: 'NW-MUG', source: 'its SKU' },
      { field: 'URL', value: 'http://127.0.0.1/p', source: 'the page URL' },
    ]);
  });

  it("names the merchant's extractor first", () => {
    expect(attribute({ ProductName: 'X' }, [{ ProductName: 'X' }, { ProductName: 'X' }])[0].source).toBe(SOURCES[0]);
  });
});

describe('report and format', () => {
  it('prints each event, each field with its source, the platform and the consent state', () => {
    const r = report('https://shop.example/p', 'klite-check@example.com', REQUESTS, PAGE, 'granted');
    expect(r).toMatchObject({ activeOnSite: 2, otherEvents: [], sources: ['JSON-LD', 'ShopifyAnalytics.meta'], platform: 'Shopify' });
    const text = format(r);
    expect(text).toContain('Platform: Shopify\n');
    expect(text).toContain("a placeholder visitor, klite-check@example.com, was identified: klite holds an anonymous visitor's events");
    expect(text).toContain('\n  Active on Site\n  Viewed Product\n');
    expect(text).toMatch(/\n {4}ProductName +Trail Boot ← JSON-LD\n/);
    expect(text).toMatch(/\n {4}ProductID +7001 ← ShopifyAnalytics\.meta\n/);
    expect(text).toMatch(/\n {4}Price +129 ← JSON-LD\n/);
    expect(text).not.toContain('$use_ip');
    expect(text).toContain("Consent signals: none found; klite's consent state: granted");
  });

  it('says why nothing was sent: no product on the page, or consent pending', () => {
    const none = format(report('p.html', 'v', [], { sources: [null, null, null, null, null, null], signals: [], answers: [] }, 'granted'));
    expect(none).toContain('Platform: none recognised');
    expect(none).toContain('Active on Site: not sent');
    expect(none).toContain('Viewed Product: not sent (no source describes one product here');
    const held = format(report('p.html', 'v', [], { ...PAGE, signals: ['Google Consent Mode'], answers: ['pending'] }, 'pending'));
    expect(held).toContain("Consent signals: Google Consent Mode (pending); klite's consent state: pending");
    expect(held).toContain('Nothing was sent: consent is pending');
  });
});

describe('the probe (check-page.ts)', () => {
  beforeAll(async () => {
    document.head.innerHTML = `<meta property="og:type" content="product"><meta property="og:title" content="Trail Boot (OG)">
<script type="application/ld+json">{"@type":"Product","name":"Trail Boot","sku":"NW-BOOT-42","offers":{"price":"129.00","priceCurrency":"USD"}}</script>`;
    const w = window as any;
    w.ShopifyAnalytics = {
      meta: { currency: 'USD', product: { id: 7001, vendor: 'Northwind', variants: [{ name: 'Trail Boot - 42', price: 12900 }] } },
    };
    w.dataLayer = [['consent', 'default', { analytics_storage: 'denied' }]];
    await import('../../src/cli/check-page');
  });

  it("reads each source with klite's own readers, names the platform and the consent signals", () => {
    const r: PageReport = (window as any).__kliteCheck();
    expect(r.sources).toEqual([
      null,
      { ProductName: 'Trail Boot', SKU: 'NW-BOOT-42', Price: 129, Currency: 'USD' },
      null,
      { ProductName: 'Trail Boot (OG)' },
      { ProductName: 'Trail Boot - 42', ProductID: '7001', Brand: 'Northwind', Price: 129, Currency: 'USD' },
      null,
    ]);
    expect(r.platform).toBe('Shopify');
    expect(r.signals).toEqual(['Google Consent Mode']);
    expect(r.answers).toEqual(['pending']);
  });

  it('reports a source that throws, and reads the others', () => {
    (window as any).kliteOptions = {
      capture: {
        extract: () => {
          throw new Error('theme changed');
        },
      },
    };
    const r: PageReport = (window as any).__kliteCheck();
    delete (window as any).kliteOptions;
    expect(r.sources[0]).toBe('theme changed');
    expect(r.sources[1]).toMatchObject({ ProductName: 'Trail Boot' });
  });
});

describe('the probe names each platform from what its themes render', () => {
  // One marker each, as the platform's pages have it (the first that matches names the platform).
  const PAGES: [string, string, Record<string, unknown>][] = [
    ['Shopify', '', { Shopify: { shop: 'northwind.myshopify.com' } }],
    ['BigCommerce', '', { BCData: { product_attributes: {} } }],
    ['WooCommerce', '', { wc_add_to_cart_params: { ajax_url: '/wp-admin/admin-ajax.php' } }],
    ['Magento', '<script type="text/x-magento-init">{"*":{}}</script>', {}],
    ['Magento', '', { hyva: {} }],
    ['PrestaShop', '', { prestashop: { page: { page_name: 'product' } } }],
    ['Wix', '<meta name="generator" content="Wix.com Website Builder">', {}],
    ['Squarespace', '', { Static: { SQUARESPACE_CONTEXT: {} } }],
    ['Squarespace', '<meta name="generator" content="Squarespace">', {}],
  ];
  it.each(PAGES)('%s (%s %j)', (platform, head, globals) => {
    const w = window as any;
    delete w.ShopifyAnalytics;
    delete w.Shopify;
    document.head.innerHTML = head;
    Object.assign(w, globals);
    try {
      expect(w.__kliteCheck().platform).toBe(platform);
    } finally {
      for (const k in globals) delete w[k];
    }
  });
  it('none on a plain page', () => {
    document.head.innerHTML = '<meta name="generator" content="Hugo 0.120">';
    expect((window as any).__kliteCheck().platform).toBeUndefined();
  });
});

describe('bad input: one line and exit code 1', () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const code = await check(
      args,
      (s) => out.push(s),
      (s) => out.push(s),
    );
    return { code, text: out.join('') };
  };

  it.each([
    [[], /^usage: klite check/],
    [['no-such-page.html'], /^klite: no such file: no-such-page\.html\n$/],
    [['ftp://shop.example/'], /^klite: klite check opens http\(s\) URLs and local files, not ftp:/],
    [['https://shop.example/', '--wait', 'soon'], /^klite: --wait takes seconds/],
    [
      ['https://shop.example/', '--chromium', '/no/chromium'],
      /^klite: no Chromium at \/no\/chromium: install one, or pass --chromium <path>\n$/,
    ],
    [['https://shop.example/', '--bogus'], /^klite: Unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    const { code, text } = await run(...(args as string[]));
    expect(code).toBe(1);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/\n\s+at /);
  });
});
