// Hostile input (#5): every kind of value a page can throw at a tracker, through every way in
// (identify, track, push, _learnq; before and after klite loads), and pages that replace the
// built-ins klite relies on. Nothing may reach window.onerror or become an unhandled rejection
// (the `logs` fixture fails the test), every request must still conform (the `api` fixture), and
// every valid call made alongside must arrive.
import { test, expect, tag, ready } from './fixtures.mjs';
import { html as page, stubScript } from './pages.mjs';

const html = (head) => page({ head: stubScript() + head });

/** Runs in the page: the hostile values, fresh each time (labels say what each is). */
function hostileValues() {
  const circular = { name: 'loop' };
  circular.self = circular;
  let deep = { leaf: true };
  for (let i = 0; i < 1000; i++) deep = { deep };
  const many = {};
  for (let i = 0; i < 10000; i++) many['p' + i] = i;
  const trap = () => {
    throw new Error('trap');
  };
  return {
    circular,
    fn() {},
    symbol: Symbol('s'),
    bigint: 10n,
    date: new Date(0),
    node: document.body,
    nan: NaN,
    infinity: -Infinity,
    mbString: 'x'.repeat(1 << 20),
    mbMultibyte: '€'.repeat(400000),
    manyProps: many,
    deep,
    longArray: Array.from({ length: 200000 }, (_, i) => i),
    undef: undefined,
    nul: null,
    number: 42,
    string: 'plain',
    getter: Object.defineProperty({}, 'boom', { enumerable: true, get: trap }),
    proxy: new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap }),
  };
}

/** Runs in the page: feeds every hostile value through `via`; returns the labels of the valid events it made alongside. */
function feed(via, values) {
  const sent = [];
  for (const [label, v] of Object.entries(values)) {
    const mark = `${via}:${label}`;
    sent.push(mark);
    const calls = [
      ['identify', v],
      ['identify', { email: 'hostile@example.com', hostile: v }],
      ['track', v, v],
      ['track', 'Hostile', { mark, p: v }],
      ['track', 'Hostile', v, undefined, v],
      ['trackViewedItem', v],
    ];
    for (const call of calls) {
      if (via === 'klaviyo') klaviyo[call[0]](...call.slice(1));
      else if (via === 'push') klaviyo.push(call);
      else (window._learnq = window._learnq || []).push(call);
    }
    if (via === 'klaviyo') klaviyo.push(v);
    else window._learnq.push(v);
  }
  return sent;
}

test('every hostile value through every way in: nothing thrown, valid calls delivered, oversize values cut', async ({
  page,
  api,
  open,
  logs,
}) => {
  test.setTimeout(90_000);
  await open(html(tag(api.url)));
  // Before klite runs: through the stub and the legacy `_learnq` array.
  const early = await page.evaluate(`(${feed})('klaviyo', (${hostileValues})()).concat((${feed})('learnq', (${hostileValues})()))`);
  await ready(page);
  const late = await page.evaluate(`['klaviyo', 'push', 'learnq'].flatMap((via) => (${feed})(via, (${hostileValues})()))`);
  const marks = [...early, ...late];
  // `track('Hostile', v)` with an object v is a valid call too (its properties are v's).
  const delivered = async () => (await api.events()).filter((e) => !e.duplicate);
  const arrived = async () =>
    (await delivered())
      .filter((e) => e.properties.mark)
      .map((e) => e.properties.mark)
      .sort();
  await expect.poll(arrived, { timeout: 60_000 }).toEqual(marks.sort());
  const events = await delivered();
  // String values are valid metric names too (`track(v, v)`); long ones are cut to Klaviyo's 127 characters.
  expect(new Set(events.map((e) => e.metric))).toEqual(new Set(['Hostile', 'plain', 'x'.repeat(127), '€'.repeat(127)]));

  const byMark = (m) => events.find((e) => e.properties.mark === m).properties.p;
  expect(byMark('push:circular')).toEqual({ name: 'loop' });
  expect(byMark('push:bigint')).toBe('10');
  expect(byMark('push:date')).toBe('1970-01-01T00:00:00.000Z');
  expect(byMark('push:nan')).toBeNull();
  // Cut to Klaviyo's limits (100 KB a string, 4,000 array items, 10 levels; 300 properties an event).
  expect(Buffer.byteLength(byMark('klaviyo:mbString'))).toBeLessThanOrEqual(100 * 1024);
  expect(Buffer.byteLength(byMark('learnq:mbMultibyte'))).toBeLessThanOrEqual(100 * 1024);
  expect(byMark('klaviyo:mbMultibyte').length).toBeGreaterThan(30000);
  expect(byMark('klaviyo:longArray')).toHaveLength(4000);
  const manyEvent = events.find((e) => !e.properties.mark && Object.keys(e.properties).length > 200);
  expect(Object.keys(manyEvent.properties).length).toBeLessThanOrEqual(300);
  expect(JSON.stringify(byMark('push:deep')).split('deep').length - 1).toBeLessThanOrEqual(10);

  // Nothing klite sent was refused: every value was made acceptable before it left.
  expect((await api.counters()).rejected).toBe(0);
  const profiles = await api.profiles();
  expect(profiles.map((p) => p.key)).toContain('hostile@example.com');
  // Each kind of problem said once, not once per call.
  const warnings = logs.console.filter((l) => l.includes('klite:'));
  expect(new Set(warnings).size).toBe(warnings.length);
  // …and short: a warning never quotes what it was given.
  for (const w of warnings) expect(w.length, w.slice(0, 120)).toBeLessThan(200);
  for (const said of [
    'string over 100 KB cut',
    'array over 4000 items cut',
    'object over 298 keys cut',
    'circular or deep value dropped',
    'unreadable value dropped',
    'track() needs a metric name',
    'push() ignored',
  ])
    expect(
      warnings.filter((w) => w.includes(said)),
      said,
    ).toHaveLength(1);
});

/**
 * Pages that replace built-ins before klite loads: with wrappers that still work (as monitoring
 * tools and old polyfills do) klite delivers everything; with ones that fail for a while, calls
 * wait in the queue and go once the page repairs them. Never an error in the page.
 */
const overrides = {
  'fetch wrapped by a monitoring tool': () => {
    const f = window.fetch;
    window.fetch = function (...a) {
      window.seen = (window.seen || 0) + 1;
      return f.apply(this, a);
    };
  },
  'fetch throwing for 3 s': () => {
    const f = window.fetch;
    window.fetch = () => {
      throw new TypeError('blocked by the page');
    };
    setTimeout(() => (window.fetch = f), 3000);
  },
  'JSON.stringify without replacer support': () => {
    const s = JSON.stringify;
    JSON.stringify = (v) => s(v);
  },
  'JSON.stringify throwing for 3 s': () => {
    const s = JSON.stringify;
    JSON.stringify = () => {
      throw new Error('broken JSON');
    };
    setTimeout(() => (JSON.stringify = s), 3000);
  },
  'Array.prototype.push returning nothing': () => {
    const p = Array.prototype.push;
    Array.prototype.push = function (...a) {
      p.apply(this, a);
    };
  },
  'Promise replaced by a minimal polyfill': () => {
    const P = Promise;
    function Poly(run) {
      return new P(run);
    }
    Poly.resolve = (v) => P.resolve(v);
    Poly.reject = (v) => P.reject(v);
    Poly.all = (l) => P.all(l);
    window.Promise = Poly;
  },
};

for (const [name, install] of Object.entries(overrides)) {
  test(`a page with ${name}: nothing thrown, every call delivered`, async ({ page, api, open }) => {
    await page.addInitScript(install);
    await open(html(tag(api.url)));
    await ready(page);
    await page.evaluate(() => {
      for (const run of [
        () => klaviyo.identify({ email: 'builtins@example.com' }),
        () => klaviyo.track('Built-ins', { n: 1, list: [1, 2] }),
        () => klaviyo.track('Built-ins', { n: 2 }),
        () => klaviyo.push(['track', 'Built-ins', { n: 3 }]),
        () => _learnq.push(['track', 'Built-ins', { n: 4 }]),
      ]) {
        // What the page sees: a call never throws.
        try {
          run();
        } catch (e) {
          window.onerror(String(e));
        }
      }
    });
    const events = await api.eventCount(4, 30_000);
    expect(events.map((e) => e.properties.n).sort()).toEqual([1, 2, 3, 4]);
    expect(events.find((e) => e.properties.n === 1).properties.list).toEqual([1, 2]);
  });
}
