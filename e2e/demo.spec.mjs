import { test, expect } from './fixtures.mjs';

// The shop as a merchant runs it: auto-capture on.
test.use({ capture: true });

// Work stays off the interaction path: no klite script in any of these flows keeps the main
// thread busy LONG_MS (CPU time, from a trace: see long-tasks.mjs).
test.use({ longTaskGuard: true });
test.afterEach(async ({ kliteLongTasks }) => expect(await kliteLongTasks(), 'long klite tasks').toEqual([]));
const metrics = (events) => events.map((e) => e.metric).sort();

test('the demo shop: subscribe, view a product, add to cart, and see it all on the live inspector', async ({ page, api, context }) => {
  await page.goto(api.url + '/');
  await page.fill('#newsletter input[name=email]', 'shopper@example.com');
  await page.click('#newsletter button');
  await expect(page.locator('#newsletter')).toContainText('subscribed');
  await page.click('text=Trail Boot');
  await page.fill('input[name=quantity]', '2');
  await page.click('text=Add to cart');
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.locator('#lines')).toContainText('2 × Trail Boot');

  // Active on Site on the home, product and cart pages; the rest from the product page's markup.
  const events = await api.eventCount(5);
  expect(metrics(events)).toEqual(['Added to Cart', 'Viewed Product', '__activity__', '__activity__', '__activity__']);
  expect(events.every((e) => e.profile.email === 'shopper@example.com')).toBe(true);
  expect(events.find((e) => e.metric === 'Added to Cart').properties).toMatchObject({ AddedItemProductID: 'boot-1', AddedItemQuantity: 2 });
  expect(events.find((e) => e.metric === 'Added to Cart').value).toBe(258);

  const inspector = await context.newPage();
  await inspector.goto(api.url + '/__inspector');
  await expect(inspector.locator('.event:not(.duplicate) .metric')).toHaveCount(5);
  await expect(inspector.locator('.event:not(.duplicate) .metric', { hasText: 'Added to Cart' })).toHaveCount(1);
  await expect(inspector.locator('#profiles')).toContainText('shopper@example.com');
  await expect(inspector.locator('#accepted')).toHaveText(String((await api.counters()).accepted));

  // A rejection shows with its reason, live, without a reload.
  await api.faults([{ status: 400, count: 1 }]);
  await page.goto(api.url + '/products/camp-mug');
  await expect(inspector.locator('.rejected').first()).toContainText('Injected by /__faults', { timeout: 15_000 });
  await inspector.screenshot({ path: test.info().outputPath('inspector.png'), fullPage: true });
});

test('first-party mode: the shop loads klite from, and sends through, its own origin (the proxy at /kl)', async ({
  page,
  api,
  context,
}) => {
  // The home page's switch: a cookie the shop's pages read (the context's requests share the page's cookies).
  expect((await page.request.get(api.url + '/__mode?to=first-party', { maxRedirects: 0 })).status()).toBe(303);
  await page.goto(api.url + '/');
  await expect(page.locator('main')).toContainText("Sending first party: through klite's proxy at /kl");
  expect(await page.evaluate(() => [...document.scripts].some((s) => s.src.endsWith('/kl/klite.js?company_id=DEMO01&endpoint=/kl')))).toBe(
    true,
  );
  await page.fill('#newsletter input[name=email]', 'first-party@example.com');
  await page.click('#newsletter button');
  await expect(page.locator('#newsletter')).toContainText('subscribed');
  await page.click('text=Trail Boot');
  await page.click('text=Add to cart');
  await expect(page).toHaveURL(/\/cart$/);
  const events = await api.eventCount(5);
  expect(metrics(events)).toEqual(['Added to Cart', 'Viewed Product', '__activity__', '__activity__', '__activity__']);
  const requests = await api.requests();
  expect(requests.map((r) => r.via)).toEqual(requests.map(() => 'first-party'));
  // The inspector counts re-sent events by mode: none were sent direct.
  const inspector = await context.newPage();
  await inspector.goto(api.url + '/__inspector');
  await expect(inspector.locator('#resent-first-party')).toHaveText(/^\d+ of \d+ \(\d+%\)$/);
  await expect(inspector.locator('#resent-direct')).toHaveText('–');
});

test('every storefront page serves, with klite installed through the stub', async ({ page, api }) => {
  for (const path of [
    '/',
    '/category',
    '/products/trail-boot',
    '/products/rain-jacket',
    '/products/camp-mug',
    '/cart',
    '/checkout',
    '/spa',
    '/spa/packing-list',
  ]) {
    const res = await page.goto(api.url + path);
    expect(res.status(), path).toBe(200);
    await page.waitForFunction(() => !!window.__klite);
    // A visitor reads a page before leaving it (leaving while klite starts blocks its storage reads behind the navigation).
    await page.waitForTimeout(200);
  }
  await page.click('text=Trail notes');
  await expect(page).toHaveURL(/\/spa\/trail-notes$/);
  await expect(page.locator('#view')).toHaveText('Notes from the ridge.');
});

test('the shop runs under a strict Content-Security-Policy: klite works and causes no violation', async ({ page, api, logs }) => {
  const res = await page.goto(api.url + '/products/trail-boot');
  const policy = res.headers()['content-security-policy'];
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+';/);
  expect(policy).toMatch(/connect-src 'self'/);
  expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  await page.fill('input[name=quantity]', '3');
  await page.click('text=Add to cart');
  await expect(page).toHaveURL(/\/cart$/);
  await page.waitForFunction(() => !!window.__klite);
  await page.evaluate(() => klaviyo.identify({ email: 'csp@example.com' }));
  const events = await api.eventCount(4);
  expect(metrics(events)).toEqual(['Added to Cart', 'Viewed Product', '__activity__', '__activity__']);
  // The policy is enforced and violations are seen (the fixture fails a test on any other one):
  // an inline script without the nonce is blocked and reported.
  logs.expectedViolations = ['script-src-elem blocked inline'];
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = 1';
    document.head.appendChild(s);
  });
  await expect.poll(() => logs.console.filter((l) => l.includes('csp violation: script-src-elem blocked inline')).length).toBe(1);
  expect(await page.evaluate(() => window.injected)).toBeUndefined();
});

test('checkout (auto-captured): Started Checkout with the cart, identified from the email field', async ({ page, api }) => {
  await page.goto(api.url + '/products/camp-mug');
  await page.click('text=Add to cart');
  await expect(page).toHaveURL(/\/cart$/);
  // The cart page's Active on Site is taken on klite's start-up task, just after it loads.
  await page.waitForFunction(() => window.__klite);
  await page.waitForTimeout(300);
  await page.goto(api.url + '/checkout');
  await page.fill('#checkout input[name=email]', 'buyer@example.com');
  await page.click('text=Continue to shipping');
  await expect
    .poll(async () => metrics(await api.events()))
    .toEqual(['Added to Cart', 'Started Checkout', 'Viewed Product', '__activity__', '__activity__', '__activity__']);
  const checkout = (await api.events()).find((e) => e.metric === 'Started Checkout');
  expect(checkout).toMatchObject({ value: 14.5, profile: { email: 'buyer@example.com' } });
  expect(checkout.properties.Items).toHaveLength(1);
});

test('the npm build: init() from dist/klite.mjs tracks without touching window.klaviyo', async ({ page, api, open }) => {
  await open(`<!doctype html><html><head><script type="module">
import { init } from '${api.url}/dist/klite.mjs';
window.tracker = init({ companyId: 'AbC123', endpoint: '${api.url}' });
window.tracker.identify({ email: 'npm@example.com' }).then(() => window.tracker.track('From npm'));
</script></head><body></body></html>`);
  // init() auto-captures too: Active on Site comes with the call.
  const events = await api.eventCount(2);
  expect(metrics(events)).toEqual(['From npm', '__activity__']);
  expect(events.every((e) => e.profile.email == 'npm@example.com')).toBe(true);
  expect(await page.evaluate(() => typeof window.klaviyo)).toBe('undefined');
});

test('the inspector shows what this browser holds and why: an anonymous Viewed Product, held until the visitor subscribes', async ({
  page,
  api,
  context,
}) => {
  // Opened first, in a browser where klite never ran: it says so, and its look creates no database
  // (klite would find one without its store).
  const inspector = await context.newPage();
  await inspector.goto(api.url + '/__inspector');
  await expect(inspector.locator('#feed')).toContainText('Nothing received yet: klite has not started in this browser yet');
  expect(await inspector.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);

  // Browsing anonymously: klite starts on the quiet product page (3 s after its load), captures
  // the product and keeps the calls in IndexedDB until the visitor is known.
  await page.goto(api.url + '/products/trail-boot');
  const viewed = inspector.locator('#held .held', { hasText: 'Viewed Product' });
  await expect(viewed.locator('.badge.code')).toHaveText('anonymous');
  await expect(viewed).toContainText('track ·');
  await expect(inspector.locator('#feed')).toContainText(/Nothing received yet: klite holds \d+ calls for an anonymous visitor: subscribe/);
  expect(await api.events()).toEqual([]);

  // Subscribing identifies the visitor: the held calls leave the list and arrive.
  await page.fill('#newsletter input[name=email]', 'held@example.com');
  await page.click('#newsletter button');
  await expect(inspector.locator('.event .metric', { hasText: 'Viewed Product' })).toHaveCount(1);
  await expect(inspector.locator('#held .held')).toHaveCount(0);
  await expect(inspector.locator('#held')).toContainText('klite holds nothing in this browser');
  expect((await api.events()).find((e) => e.metric === 'Viewed Product').profile.email).toBe('held@example.com');
});

test('the inspector says why nothing arrives from a browser that refused consent (__kla_off)', async ({ page, api, context }) => {
  await context.addCookies([{ name: '__kla_off', value: 'true', url: api.url }]);
  await page.goto(api.url + '/products/trail-boot');
  await page.waitForFunction(() => !!window.__klite);
  const inspector = await context.newPage();
  await inspector.goto(api.url + '/__inspector');
  await expect(inspector.locator('#feed')).toContainText('Nothing received yet: consent refused in this browser (the __kla_off cookie)');
  await expect(inspector.locator('#held')).toContainText('klite stores and sends nothing here');
});

test('the inspector shows a call backing off after failed attempts, and receives it once it goes through', async ({
  page,
  api,
  context,
}) => {
  // The endpoint fails every request that carries a Viewed Product; the profile update goes through.
  await api.faults([{ status: 503, match: 'Viewed Product' }]);
  await page.goto(api.url + '/');
  await page.fill('#newsletter input[name=email]', 'retry@example.com');
  await page.click('#newsletter button');
  await expect(page.locator('#newsletter')).toContainText('subscribed');
  await page.click('text=Trail Boot');
  const inspector = await context.newPage();
  await inspector.goto(api.url + '/__inspector');
  const viewed = inspector.locator('#held .held', { hasText: 'Viewed Product' });
  await expect(viewed.locator('.badge.code')).toHaveText('backing off');
  await expect(viewed).toContainText(/\d+ attempts? failed, the last with 503: klite retries with back-off/);
  // The endpoint recovers; leaving the page sends its calls at once (keepalive ignores the back-off).
  await api.faults([]);
  await page.goto(api.url + '/cart');
  await expect(inspector.locator('.event:not(.duplicate) .metric', { hasText: 'Viewed Product' })).toHaveCount(1);
  await expect(viewed).toHaveCount(0);
});
