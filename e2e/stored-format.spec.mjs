// The stored format of a queued call outlives a release: a visitor's browser may hold calls that
// an earlier klite wrote (in IndexedDB, or rescued to localStorage by a closing page) when the
// shop ships the next one. Both directions are checked against what 0.1.0 really stored
// (e2e/fixtures/stored-0.1.0.json): this build delivers it, and writes calls the same way.
import { readFileSync } from 'node:fs';
import { test, expect, tag } from './fixtures.mjs';

const STORED = JSON.parse(readFileSync(new URL('./fixtures/stored-0.1.0.json', import.meta.url), 'utf8'));
const blank = '<!doctype html><html><head></head><body></body></html>';

test('a queue written by klite 0.1.0 (IndexedDB rows and a localStorage rescue) is delivered by this build, each call once', async ({
  page,
  api,
  open,
}) => {
  await open(blank, '/shop/seed.html');
  await page.evaluate(
    async ({ rows, rescues, cookie }) => {
      // Each call's accepted time moved to now: the TTLs would retire a call of long ago.
      const now = Date.now();
      const move = (item) => (item.s ? { ...item, s: now } : item);
      const db = await new Promise((ok, ko) => {
        const r = indexedDB.open('klite-v1');
        r.onupgradeneeded = () => r.result.createObjectStore('queue');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      const tx = db.transaction('queue', 'readwrite');
      for (const [key, text] of rows) tx.objectStore('queue').put(JSON.stringify(move(JSON.parse(text))), key);
      await new Promise((ok) => (tx.oncomplete = ok));
      db.close();
      for (const [key, text] of rescues) localStorage.setItem(key, JSON.stringify(JSON.parse(text).map(([k, item]) => [k, move(item)])));
      document.cookie = cookie + '; path=/';
    },
    { rows: STORED.indexedDB, rescues: STORED.localStorage, cookie: STORED.cookie },
  );

  await open(`<!doctype html><html><head>${tag(api.url)}</head><body></body></html>`);
  const events = await api.eventCount(3);
  const stored = [
    ...STORED.indexedDB.map(([, text]) => JSON.parse(text)),
    ...STORED.localStorage.flatMap(([, text]) => JSON.parse(text).map(([, item]) => item)),
  ];
  const expected = stored.filter((item) => item.k == 'e');
  expect(events.map((e) => [e.metric, e.unique_id, e.profile.email])).toEqual(
    expected.map((item) => [item.m, item.a.unique_id, item.p.email]),
  );
  expect(events.map((e) => e.properties)).toEqual(expected.map((item) => item.a.properties));
  expect(events[1].value).toBe(19.5);
  const [profile] = await api.profiles();
  expect(profile.attributes).toMatchObject({ email: 'stored@example.com', first_name: 'Stella' });
  expect((await api.requests()).map((r) => r.path)).toEqual(['/client/profiles', '/client/event-bulk-create']);
  expect(JSON.parse((await api.requests())[0].body).data.meta).toEqual({ patch_properties: { append: { tags: 'vip' } } });
  // Delivered, so gone: nothing left but the wipe mark, no rescue.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const db = await new Promise((ok) => (indexedDB.open('klite-v1').onsuccess = (e) => ok(e.target.result)));
        const keys = await new Promise(
          (ok) => (db.transaction('queue').objectStore('queue').getAllKeys().onsuccess = (e) => ok(e.target.result)),
        );
        db.close();
        return [keys, Object.keys(localStorage).filter((k) => k.startsWith('klite:unsaved:'))];
      }),
    )
    .toEqual([['~'], []]);
});

test("this build stores calls in 0.1.0's format: the same fields for events and profile updates, keys of the same shape", async ({
  page,
  api,
  open,
}) => {
  // Nothing is delivered: the endpoint refuses every send for a while, with a status klite retries.
  await api.faults([{ status: 503, ms: 60_000 }]);
  await open(`<!doctype html><html><head>${tag(api.url)}</head><body></body></html>`);
  await page.waitForFunction(() => !!window.__klite);
  const rows = await page.evaluate(async () => {
    await klaviyo.identify({ email: 'stored@example.com', first_name: 'Stella', $append: { tags: 'vip' } });
    klaviyo.track('Viewed Product', { ProductID: 'SKU-1', $value: 19.5 });
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const db = await new Promise((ok) => (indexedDB.open('klite-v1').onsuccess = (e) => ok(e.target.result)));
      const store = db.transaction('queue').objectStore('queue');
      const keys = await new Promise((ok) => (store.getAllKeys().onsuccess = (e) => ok(e.target.result)));
      const values = await new Promise((ok) => (store.getAll().onsuccess = (e) => ok(e.target.result)));
      db.close();
      if (keys.length >= 3) return keys.map((k, i) => [k, values[i]]);
    }
  });
  const shape = (list) =>
    Object.fromEntries(
      list.map(([key, text]) => {
        const item = JSON.parse(text);
        return [
          key == '~' ? '~' : item.k,
          { key: key == '~' ? key : key.replace(/[0-9a-z]/g, 'x'), fields: Object.keys(item).sort(), text: typeof text },
        ];
      }),
    );
  // The anonymous event of the capture was claimed by identify: its fields are an event's too.
  expect(shape(rows)).toEqual(shape(STORED.indexedDB));
  await api.faults([]);
});
