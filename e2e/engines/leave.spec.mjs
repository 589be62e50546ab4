// A visitor who leaves right after a call and never comes back: the calls must leave with the
// page, on their own (keepalive), whatever moment of klite's start-up the page is at. Each run is
// a fresh profile (a new visitor: first IndexedDB open, first CORS preflight), and what arrives is
// counted before anything else of the shop is loaded again.
import { test, expect, tag } from './fixtures.mjs';
import { html } from '../pages.mjs';

const DIRECT_RUNS = Number(process.env.LEAVE_RUNS || 20);
/** Fewer: what differs through the proxy is the origin; each of klite's moments is still left once. */
const FIRST_PARTY_RUNS = Number(process.env.LEAVE_RUNS || 4);
const CALLS = 50;

/**
 * When the calls are made, relative to klite: 0, in klite's own evaluation task, before any of its
 * start-up (the calls wait in `_learnq`); 1, as soon as it has started; 2 and 3, a few ms later,
 * while the first write to IndexedDB is under way.
 */
const MOMENTS = ['before start-up', 'at start-up', '5 ms after start-up', '20 ms after start-up'];

/** A page that makes `identify` + 50 `track` at `moment`, then runs `leave` in the same task. */
const page = (shop, api, run, moment, leave, auto = true, firstParty = false) =>
  html({
    head: `
<script>var _learnq = window._learnq || [];
window.calls = function () {
  _learnq.push(['identify', { email: 'leave-${run}@example.com' }]);
  for (var i = 0; i < ${CALLS}; i++) _learnq.push(['track', 'Left', { run: ${run}, i: i }]);
  ${leave}
};</script>
${tag(shop, api, { async: false, firstParty })}
<script>
if (${moment} == 0) calls();
else if (${auto}) (function wait() {
  if (!window.__klite) return setTimeout(wait);
  setTimeout(calls, ${[0, 0, 5, 20][moment]});
})();
</script>`,
  });

/** How many of this run's events arrived, once all did or after `ms`; for a short run, which are missing and what was sent. */
async function arrived(api, run, ms = 8000) {
  const end = Date.now() + ms;
  let got = new Set();
  while (Date.now() < end) {
    got = new Set((await api.events()).filter((e) => !e.duplicate && e.properties.run === run).map((e) => e.properties.i));
    if (got.size >= CALLS) return { arrived: got.size };
    await new Promise((r) => setTimeout(r, 100));
  }
  const missing = Array.from({ length: CALLS }, (_, i) => i).filter((i) => !got.has(i));
  const requests = (await api.requests()).map(
    (r) => `${r.path} ${r.status}${r.body ? ' ' + (r.body.match(/"unique_id"/g) || []).length + ' events' : ''}`,
  );
  return { arrived: got.size, missing, requests };
}

// Direct to the endpoint (cross-origin, with its preflight), and first party: through the shop's proxy (first-party.spec.mjs).
for (const [mode, RUNS] of [
  ['direct', DIRECT_RUNS],
  ['first party', FIRST_PARTY_RUNS],
])
  for (const how of ['navigation', 'tab closed']) {
    test(`leave without return (${how}, ${mode}): ${CALLS} of ${CALLS} calls arrive in each of ${RUNS} runs, from before start-up on`, async ({
      browser,
      session,
      shop,
      api,
    }) => {
      test.setTimeout(RUNS * 20_000);
      const results = [];
      for (let run = 0; run < RUNS; run++) {
        await api.run(run);
        const moment = run % MOMENTS.length;
        // A fresh profile per run; the first run uses the test's own session.
        const s = run ? await browser.session() : session;
        // Closing a browser's last window ends the browser itself, not only a tab: another tab stays open.
        if (how != 'navigation') await (await s.tab()).goto(shop.url + '/elsewhere');
        const tab = await s.tab();
        if (how == 'navigation') {
          await tab.goto(shop.page(page(shop, api, run, moment, `location.href = '/elsewhere';`, true, mode != 'direct')));
        } else {
          // Moment 0: the page made its calls in klite's evaluation task, and is closed once loaded;
          // else the calls are made at their moment after start-up, and the tab closed at once.
          await tab.goto(shop.page(page(shop, api, run, moment, '', false, mode != 'direct')));
          if (moment) {
            await expect.poll(() => tab.evaluate(() => !!window.__klite), { timeout: 10_000 }).toBe(true);
            await tab.evaluate((ms) => new Promise((r) => setTimeout(r, ms)).then(() => window.calls()), [0, 0, 5, 20][moment]);
          }
          await tab.close();
        }
        results.push({ run, moment: MOMENTS[moment], ...(await arrived(api, run)) });
        if (run) await s.close();
      }
      const short = results.filter((r) => r.arrived !== CALLS);
      console.log(
        `${test.info().project.name} ${browser.version}, leave by ${how} (${mode}): ${RUNS - short.length} of ${RUNS} runs delivered ${CALLS} of ${CALLS}` +
          (short.length ? `; short: ${JSON.stringify(short)}` : ''),
      );
      expect(short, `runs that did not deliver all ${CALLS} calls`).toEqual([]);
    });
  }
