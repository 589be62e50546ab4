import { test, expect, tag } from './fixtures.mjs';
import { html, stubScript } from './pages.mjs';

// Debug mode: ?klite_debug=1 (or klaviyo.debug(true)) loads dist/klite-debug.js beside klite.js,
// which prints what klite captured, each call's state and each request's outcome.

const product = html({
  head:
    `<meta property="og:type" content="product"><meta property="og:title" content="Linen Shirt">` +
    `<meta property="product:price:amount" content="49.00"><meta property="product:price:currency" content="EUR">` +
    `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: 'Linen Shirt', sku: 'LS-1' })}</script>`,
  body: '<h1>Linen Shirt</h1>',
});
const page0 = (url) => product.replace('</head>', stubScript() + tag(url) + '</head>');

/** The console lines printed so far, kept per page (group titles included). */
const consoleOf = (page) => {
  const lines = [];
  page.on('console', (m) => lines.push(m.text()));
  return lines;
};
const printed = (lines, pattern) =>
  expect
    .poll(() => lines.find((l) => pattern.test(l)), { timeout: 20_000 })
    .toBeTruthy()
    .catch((e) => {
      throw new Error(`${pattern} not printed; the console said:\n${lines.join('\n')}\n${e.message}`);
    });

test.describe('with auto-capture', () => {
  test.use({ capture: true });

  test('?klite_debug=1 prints the product and its sources, held, sent, acknowledged and refused calls, emails masked', async ({
    page,
    api,
    open,
  }) => {
    const lines = consoleOf(page);
    await open(page0(api.url), '/shop/shirt.html?klite_debug=1');
    await printed(lines, /^klite debug: on for this session .*key AbC123 · consent granted · visitor anonymous$/);
    await printed(lines, /^klite captured: Viewed Product "Linen Shirt"$/);
    await printed(lines, /^ProductName: Linen Shirt ← JSON-LD$/);
    await printed(lines, /^Price: 49 ← OpenGraph$/);
    await printed(lines, /^klite #\d+ track "Viewed Product": held: anonymous, sent once the visitor is identified/);

    await page.evaluate(() => klaviyo.identify({ email: 'jane@example.com' }));
    await printed(lines, /^klite #\d+ identify j•••@example\.com: sent in request \d+$/);
    await printed(lines, /^klite request \d+ → 202 accepted · \/client\/profiles, 1 call$/);
    await printed(lines, /^#\d+ track "Viewed Product": acknowledged$/);
    await api.eventCount(2);

    // Klaviyo refuses a call for good: its reason is printed, and the call is dropped.
    await api.faults([{ status: 400, match: 'Refused Metric', count: 1 }]);
    await page.evaluate(() => klaviyo.track('Refused Metric', { n: 1 }));
    await printed(lines, /^klite request \d+ → 400 refused: Injected by \/__faults · \/client\/events, 1 call$/);
    await printed(lines, /^#\d+ track "Refused Metric": refused: Injected by \/__faults \(dropped\)$/);

    // A failure klite retries: the outcome, then when it sends next.
    await api.faults([{ status: 503, match: 'Retried Metric', count: 1 }]);
    await page.evaluate(() => klaviyo.track('Retried Metric'));
    await printed(lines, /^klite request \d+ → 503: kept, retried with back-off · \/client\/events, 1 call$/);
    await printed(lines, /^klite retry: next send in \d+\.\d s/);
    await printed(lines, /^#\d+ track "Retried Metric": acknowledged$/);

    expect(lines.filter((l) => l.includes('jane@'))).toEqual([]);
  });
});

test('held without consent, then debug(false) silences the view for the session', async ({ page, api, open }) => {
  const lines = consoleOf(page);
  await open(page0(api.url).replace('company_id=AbC123', 'company_id=AbC123&consent=pending'), '/shop/shirt.html?klite_debug=1');
  await printed(lines, /^klite debug: on for this session .*consent pending/);
  await page.evaluate(() => klaviyo.track('Waiting'));
  await printed(lines, /^klite #\d+ track "Waiting": held: consent pending$/);
  await page.evaluate(() => klaviyo.debug(false));
  await printed(lines, /^klite debug: off for this session$/);
  const before = lines.length;
  await page.evaluate(() => klaviyo.track('Unseen'));
  await page.goto(api.url + '/shop/shirt.html');
  await page.waitForFunction(() => !!window.__klite);
  await page.evaluate(() => klaviyo.track('Unseen again'));
  // The debug view is not loaded again, and said nothing about the calls after it was turned off.
  expect(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('klite-debug.js')))).toBe(false);
  expect(lines.slice(before).filter((l) => l.includes('Unseen'))).toEqual([]);
});

test('without the flag no debug script is requested and nothing is printed; klaviyo.debug(true) starts it', async ({ page, api, open }) => {
  const lines = consoleOf(page);
  const scripts = [];
  page.on('request', (r) => r.url().includes('klite-debug.js') && scripts.push(r.url()));
  await open(page0(api.url));
  await page.evaluate(() => {
    klaviyo.identify({ email: 'quiet@example.com' });
    klaviyo.track('Quiet');
  });
  await api.eventCount(1);
  expect(scripts).toEqual([]);
  expect(lines.filter((l) => l.startsWith('klite'))).toEqual([]);

  await page.evaluate(() => klaviyo.debug(true));
  await printed(lines, /^klite debug: on for this session .*visitor q•••@example\.com$/);
  expect(scripts).toEqual([`${api.url}/dist/klite-debug.js`]);
});
