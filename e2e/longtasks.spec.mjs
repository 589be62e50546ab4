// The long-task check used by the storefront flows (capture.spec, demo.spec) must be able to fail:
// here klite is made to do one heavy task (building a call whose value's toJSON does a fixed
// ~200 ms of arithmetic: CPU work, not a wait, so the thread clock sees it on any machine), and
// the trace attributes it to klite.js with its CPU time.
import { test, expect, tag, ready, LONG_MS } from './fixtures.mjs';

test.use({ longTaskGuard: true });

test("the long-task check sees klite's own tasks", async ({ page, api, open, kliteLongTasks }) => {
  await open(`<html><head>${tag(api.url)}</head><body></body></html>`);
  await ready(page);
  // Started (by a first call), so the call below is built on the timer it schedules.
  await page.evaluate(() => klaviyo.flush());
  await page.evaluate(() => {
    window.longKlite = 0;
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries())
        for (const s of frame.scripts) if (/klite\.js/.test(s.sourceURL) && s.invokerType == 'user-callback') window.longKlite++;
    }).observe({ type: 'long-animation-frame' });
    const heavy = {
      toJSON() {
        let x = 0;
        for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003;
        return x;
      },
    };
    klaviyo.track('Heavy', { heavy });
  });
  // The page sees the long frame first; the trace, read when it stops, has its thread time.
  await page.waitForFunction(() => window.longKlite > 0);
  const found = await kliteLongTasks();
  // The building task (a timer).
  const timer = found.find((t) => t.invoker.includes('setTimeout'));
  expect(timer, JSON.stringify(found)).toBeTruthy();
  expect(timer.cpuMs).toBeGreaterThanOrEqual(LONG_MS);
});
