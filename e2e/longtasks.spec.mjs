// The long-task check used by the storefront flows (capture.spec, demo.spec) must be able to fail:
// here klite is made to do one heavy task (building a call with a 200,000-item property), and the
// Long Animation Frame observer attributes it to klite.js.
import { test, expect, tag, ready } from './fixtures.mjs';

test("the long-task check sees klite's own tasks", async ({ page, api, open, kliteLongTasks }) => {
  await open(`<html><head>${tag(api.url)}</head><body></body></html>`);
  await ready(page);
  await page.evaluate(() => {
    const big = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'x' + i }));
    klaviyo.track('Heavy', { big });
  });
  await expect.poll(() => kliteLongTasks.length).toBeGreaterThan(0);
  expect(kliteLongTasks[0]).toMatchObject({ invoker: expect.stringContaining('setTimeout') });
});
