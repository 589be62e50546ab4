// Consent (#6): pending holds calls in memory with nothing sent or stored; granted delivers what
// was held, in order; denied erases the held calls and everything klite stored, and drops later
// calls. Driven by klaviyo.consent(), the script tag, and the signals a page already has:
// Shopify's Customer Privacy API, Google Consent Mode, IAB TCF v2, Global Privacy Control.
import { test, expect, KEY, tag, ready } from './fixtures.mjs';
import { html, stubScript } from './pages.mjs';

const page = (api, query = '', head = '') => html({ head: head + tag(api.url, `company_id=${KEY}${query}`) });

/** What klite left in the browser: IndexedDB databases and queued rows, cookies, storage keys. */
const footprint = (p) =>
  p.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((d) => d.name);
    let rows = 0;
    if (databases.includes('klite-v1'))
      rows = await new Promise((done) => {
        const open = indexedDB.open('klite-v1');
        open.onsuccess = () => {
          const db = open.result;
          // Queued calls; klite's '~' mark (the store was not wiped) is not one.
          const keys = db.transaction('queue').objectStore('queue').getAllKeys();
          keys.onsuccess = () => (db.close(), done(keys.result.filter((k) => k !== '~').length));
        };
      });
    return {
      databases,
      rows,
      cookies: document.cookie,
      local: Object.keys(localStorage).filter((k) => k.startsWith('klite:')),
      session: Object.keys(sessionStorage).filter((k) => k.startsWith('klite:')),
    };
  });
const EMPTY = { databases: [], rows: 0, cookies: '', local: [], session: [] };

/** identify + two events, as a shop's own code would make them. */
const calls = (p, n = 'c') =>
  p.evaluate((n) => {
    klaviyo.identify({ email: `${n}@example.com` });
    klaviyo.track('Consent Test', { n: 1 });
    klaviyo.track('Consent Test', { n: 2 });
  }, n);

/** Nothing reached the endpoint after a while (klite sends about a second after a call). */
const nothingSent = async (p, api) => {
  await p.waitForTimeout(1500);
  expect(await api.requests()).toEqual([]);
};

test('pending: nothing sent or stored; granted: what was held is delivered in order', async ({ page: p, api, open }) => {
  await open(page(api, '&consent=pending'));
  await ready(p);
  await calls(p, 'pending');
  expect(await p.evaluate(() => klaviyo.consent())).toBe('pending');
  await nothingSent(p, api);
  expect(await footprint(p)).toEqual(EMPTY);
  // push() form, as klaviyo.js snippets queue commands.
  await p.evaluate(() => klaviyo.push(['consent', 'granted']));
  const events = await api.eventCount(2);
  expect(events.map((e) => e.properties.n)).toEqual([1, 2]);
  expect(events[0].profile.email).toBe('pending@example.com');
  expect(await p.evaluate(() => klaviyo.consent())).toBe('granted');
});

test('denied after granted: held queue and identity erased, later calls dropped without network or storage', async ({
  page: p,
  api,
  open,
}) => {
  await open(page(api));
  await ready(p);
  // Delivery is held back (503), so there is a queue to erase.
  await api.faults([{ status: 503, count: 100 }]);
  await calls(p, 'denied');
  await p.evaluate(() => klaviyo.trackViewedItem({ Title: 'Boot', ItemId: 'b1' }));
  await expect.poll(async () => (await footprint(p)).rows).toBeGreaterThan(0);
  expect((await footprint(p)).local).toContain('klite:ids');
  expect((await footprint(p)).cookies).toContain('__kla_id');

  expect(await p.evaluate(() => klaviyo.consent('denied'))).toBe('denied');
  await api.faults([]);
  const requestsBefore = (await api.requests()).length;
  expect(await p.evaluate(() => klaviyo.track('After Denial'))).toBe(false);
  await p.waitForTimeout(2500);
  const after = await footprint(p);
  expect({ ...after, databases: [] }).toEqual(EMPTY);
  expect((await api.requests()).length).toBe(requestsBefore);
  expect((await api.events()).length).toBe(0);
  // Leaving the page sends nothing either (the hidden-page send is held too).
  await p.goto(api.url + '/__inspect/counters');
  expect((await api.requests()).length).toBe(requestsBefore);
});

test('pending then denied: the held calls are discarded; nothing was ever stored', async ({ page: p, api, open }) => {
  await open(page(api, '', '<script>window.kliteOptions = { capture: false, consent: "pending" }</script>'));
  await ready(p);
  await calls(p);
  await p.evaluate(() => klaviyo.consent('denied'));
  await p.evaluate(() => klaviyo.consent('granted'));
  await nothingSent(p, api);
  // Granted later: only calls made from then on.
  await p.evaluate(() => klaviyo.identify({ email: 'later@example.com' }).then(() => klaviyo.track('Consent Test', { n: 3 })));
  const events = await api.eventCount(1);
  expect(events[0].properties.n).toBe(3);
});

test("Shopify's Customer Privacy API: not yet trackable holds calls; the visitor's yes delivers them", async ({ page: p, api, open }) => {
  await p.addInitScript(() => {
    window.Shopify = { customerPrivacy: { userCanBeTracked: () => false, currentVisitorConsent: () => ({ analytics: '' }) } };
  });
  await open(page(api));
  await ready(p);
  await calls(p, 'shopify');
  expect(await p.evaluate(() => klaviyo.consent())).toBe('pending');
  await nothingSent(p, api);
  expect(await footprint(p)).toEqual(EMPTY);
  await p.evaluate(() => {
    Shopify.customerPrivacy.userCanBeTracked = () => true;
    document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { analyticsAllowed: true, marketingAllowed: true } }));
  });
  await api.eventCount(2);
});

test("Shopify: a visitor who declined is denied; Shopify's trackingConsentAccepted grants", async ({ page: p, api, open }) => {
  await p.addInitScript(() => {
    window.Shopify = { customerPrivacy: { userCanBeTracked: () => false, currentVisitorConsent: () => ({ analytics: 'no' }) } };
  });
  await open(page(api));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
  await calls(p);
  await nothingSent(p, api);
  await p.evaluate(() => document.dispatchEvent(new Event('trackingConsentAccepted')));
  expect(await p.evaluate(() => klaviyo.consent())).toBe('granted');
  await calls(p, 'accepted');
  await api.eventCount(2);
});

test('Google Consent Mode: a default of denied holds calls, an update to granted sends them, an update to denied erases', async ({
  page: p,
  api,
  open,
}) => {
  const gtag = `<script>window.dataLayer = window.dataLayer || []; function gtag(){ dataLayer.push(arguments); }
gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied' });</script>`;
  await open(page(api, '', gtag));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('pending');
  await calls(p, 'gcm');
  await nothingSent(p, api);
  expect(await footprint(p)).toEqual(EMPTY);
  await p.evaluate(() => gtag('consent', 'update', { analytics_storage: 'granted' }));
  await api.eventCount(2);
  await p.evaluate(() => gtag('consent', 'update', { analytics_storage: 'denied' }));
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
  expect({ ...(await footprint(p)), databases: [] }).toEqual(EMPTY);
});

test('IAB TCF v2: pending while the CMP shows its UI; purpose 1 consent grants, its absence denies', async ({ page: p, api, open }) => {
  await p.addInitScript(() => {
    const listeners = [];
    window.__tcfapi = (command, version, callback) => {
      if (command !== 'addEventListener') return;
      listeners.push(callback);
      callback({ eventStatus: 'cmpuishown', gdprApplies: true, purpose: { consents: {} } }, true);
    };
    window.cmpAnswer = (consents) =>
      listeners.forEach((l) => l({ eventStatus: 'useractioncomplete', gdprApplies: true, purpose: { consents } }, true));
  });
  await open(page(api));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('pending');
  await calls(p, 'tcf');
  await nothingSent(p, api);
  await p.evaluate(() => cmpAnswer({ 1: true }));
  await api.eventCount(2);
  await p.evaluate(() => cmpAnswer({ 1: false }));
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
});

test('Global Privacy Control: denied, not lifted by a CMP signal, lifted by the merchant; data-gpc="ignore" opts out', async ({
  page: p,
  api,
  open,
}) => {
  await p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const gtag = `<script>window.dataLayer = []; function gtag(){ dataLayer.push(arguments); }</script>`;
  await open(page(api, '', gtag));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
  await p.evaluate(() => gtag('consent', 'update', { analytics_storage: 'granted' }));
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
  await calls(p);
  await nothingSent(p, api);
  expect(await footprint(p)).toEqual(EMPTY);
  // The merchant's own consent() (after the visitor's explicit opt-in) lifts it.
  await p.evaluate(() => klaviyo.consent('granted'));
  await calls(p, 'optin');
  await api.eventCount(2);

  await open(page(api, '&gpc=ignore'), '/shop/ignore.html');
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('granted');
});

test('hold=storage: while pending, calls wait in IndexedDB across page views, unsent; granted sends them all', async ({
  page: p,
  api,
  open,
}) => {
  await open(page(api, '&consent=pending&hold=storage'));
  await ready(p);
  await calls(p, 'held');
  await expect.poll(async () => (await footprint(p)).rows).toBe(3);
  await open(page(api, '&consent=pending&hold=storage'), '/shop/next.html');
  await ready(p);
  await p.evaluate(() => klaviyo.track('Consent Test', { n: 3 }));
  await nothingSent(p, api);
  await p.evaluate(() => klaviyo.consent('granted'));
  const events = await api.eventCount(3);
  expect(events.map((e) => e.properties.n).sort()).toEqual([1, 2, 3]);
});

test('data minimisation: no email or phone in any cookie, in any encoding, after identify', async ({ page: p, api, open }) => {
  await open(page(api));
  await ready(p);
  await p.evaluate(() => klaviyo.identify({ email: 'private.person@example.com', phone_number: '+15005550006', first_name: 'Pat' }));
  await api.eventCount(0);
  await expect.poll(async () => (await api.profiles()).length).toBe(1);
  const cookies = await p.context().cookies();
  expect(cookies.map((c) => c.name)).toEqual(['__kla_id']);
  for (const c of cookies) {
    const decoded = [c.value, decodeURIComponent(c.value), Buffer.from(decodeURIComponent(c.value), 'base64').toString()].join(' ');
    expect(decoded).not.toMatch(/private\.person|15005550006|Pat/);
    expect(c.sameSite).toBe('Lax');
  }
});

test("one tab's answer holds in every open tab: denied in one, nothing sent or stored by the other", async ({ context, api }) => {
  await context.route(api.url + '/shop/*', (route) => route.fulfill({ contentType: 'text/html', body: page(api) }));
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const [i, p] of [a, b].entries()) {
    await p.goto(`${api.url}/shop/tab${i}.html`);
    await ready(p);
  }
  await calls(a, 'tabs');
  await api.eventCount(2);
  await a.evaluate(() => klaviyo.consent('denied'));
  await expect.poll(() => b.evaluate(() => klaviyo.consent())).toBe('denied');
  const before = (await api.requests()).length;
  expect(await b.evaluate(() => klaviyo.track('From Tab B'))).toBe(false);
  await b.waitForTimeout(1500);
  expect((await api.requests()).length).toBe(before);
  expect({ ...(await footprint(b)), databases: [] }).toEqual(EMPTY);
  // And granted again from tab b: tab a tracks again.
  await b.evaluate(() => klaviyo.consent('granted'));
  await expect.poll(() => a.evaluate(() => klaviyo.consent())).toBe('granted');
  // The identity was erased with the denial: the visitor is anonymous until identified again.
  await a.evaluate(() => klaviyo.identify({ email: 'again@example.com' }).then(() => klaviyo.track('Consent Test', { n: 9 })));
  await expect.poll(async () => (await api.events()).filter((e) => e.properties.n === 9).length).toBe(1);
});

test('the stub takes consent() before klite loads: a refusal queued with other calls is obeyed in order', async ({
  page: p,
  api,
  open,
}) => {
  await open(
    page(
      api,
      '',
      `${stubScript()}<script>
klaviyo.identify({ email: 'early@example.com' });
klaviyo.track('Before Refusal');
klaviyo.consent('denied').then(function (state) { window.answered = state; });
klaviyo.track('After Refusal');</script>`,
    ),
  );
  await ready(p);
  await expect.poll(() => p.evaluate(() => window.answered)).toBe('denied');
  await nothingSent(p, api);
  expect(await footprint(p)).toEqual(EMPTY);
});

test('Shopify without the Customer Privacy API loaded yet: klite loads it through Shopify.loadFeatures and waits for its answer', async ({
  page: p,
  api,
  open,
}) => {
  await p.addInitScript(() => {
    window.Shopify = {
      loadFeatures(features, done) {
        window.requested = features;
        // Shopify's loader takes a moment; then the API answers for a visitor who may be tracked.
        setTimeout(() => {
          Shopify.customerPrivacy = { userCanBeTracked: () => true, currentVisitorConsent: () => ({ analytics: 'yes' }) };
          done();
        }, 1500);
      },
    };
  });
  await open(page(api));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('pending');
  expect(await p.evaluate(() => window.requested)).toEqual([{ name: 'consent-tracking-api', version: '0.1' }]);
  await calls(p, 'loaded');
  expect(await api.requests()).toEqual([]);
  expect(await footprint(p)).toEqual(EMPTY);
  await expect.poll(() => p.evaluate(() => klaviyo.consent())).toBe('granted');
  await api.eventCount(2);
});

test('a refusal at start-up where storage is blocked: klite still starts, denied, with nothing thrown', async ({
  page: p,
  api,
  open,
  logs,
}) => {
  await p.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
    for (const name of ['localStorage', 'sessionStorage'])
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException('blocked', 'SecurityError');
        },
      });
  });
  await open(page(api));
  await ready(p);
  expect(await p.evaluate(() => klaviyo.consent())).toBe('denied');
  await calls(p);
  await nothingSent(p, api);
  expect(logs.console.filter((l) => l.includes('could not start'))).toEqual([]);
});
