// `npx klite snippet`'s output, pasted into a page as a platform's head HTML: klite loads and
// tracks; with `--consent pending` nothing leaves the browser before the visitor's answer.
import { execFileSync } from 'node:child_process';
import { test, expect, KEY } from './fixtures.mjs';

const block = (args) =>
  execFileSync(process.execPath, ['dist/klite-cli.mjs', 'snippet', '--company-id', KEY, ...args], { encoding: 'utf8' });

test('the printed block, pasted in a page head, loads klite and tracks', async ({ page, api, open }) => {
  await open(`<!doctype html><html><head>${block(['--src', api.url + '/dist/klite.js', '--endpoint', api.url, '--no-capture', 'all'])}</head><body>
<script>klaviyo.identify({ email: 'snippet@example.com' }); klaviyo.track('Pasted', { ok: true });</script></body></html>`);
  const events = await api.eventCount(1);
  expect(events[0]).toMatchObject({ metric: 'Pasted', profile: { email: 'snippet@example.com' } });
});

test('--consent pending: nothing is sent until the visitor agrees', async ({ page, api, open }) => {
  await open(`<!doctype html><html><head>${block(['--src', api.url + '/dist/klite.js', '--endpoint', api.url, '--no-capture', 'all', '--consent', 'pending'])}</head><body>
<script>klaviyo.identify({ email: 'pending@example.com' }); klaviyo.track('Held');</script></body></html>`);
  await page.waitForFunction(() => !!window.__klite);
  await page.waitForTimeout(1500);
  expect(await api.requests()).toEqual([]);
  await page.evaluate(() => klaviyo.consent('granted'));
  expect((await api.eventCount(1))[0].metric).toBe('Held');
});
