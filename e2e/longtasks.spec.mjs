// The long-task check used by the storefront flows (capture.spec, demo.spec) must be able to fail:
// here klite is made to do one heavy task (building 40 calls of about 1 MB each, the most a call
// may carry, in one go), and the Long Animation Frame observer attributes it to klite.js.
import { test, expect, tag, ready } from './fixtures.mjs';

test("the long-task check sees klite's own tasks", async ({ page, api, open, kliteLongTasks }) => {
  await open(`<html><head>${tag(api.url)}</head><body></body></html>`);
  await ready(page);
  await page.evaluate(() => {
    const big = Array.from({ length: 4000 }, (_, i) => ({ i, s: 'x' + i }));
    for (let n = 0; n < 40; n++) klaviyo.track('Heavy', { a: big, b: big, c: big, d: big, e: big, f: big, g: big, h: big });
  });
  // The building task (a timer); on a loaded machine the storing that follows (an IndexedDB
  // callback) may be seen first.
  await expect.poll(() => kliteLongTasks.some((t) => t.invoker.includes('setTimeout'))).toBe(true);
});
