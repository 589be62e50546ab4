import { test, expect } from './fixtures.mjs';

test('the demo shop tracks through the stub and shows what the endpoint received', async ({ page, api, logs }) => {
  await page.goto(api.url + '/');
  await page.click('text=View product');
  await page.fill('input[name=email]', 'demo@example.com');
  await page.click('text=Identify');
  const events = await api.eventCount(2);
  expect(events.map((e) => e.metric).sort()).toEqual(['Viewed Page', 'Viewed Product']);
  await expect(page.locator('#events')).toContainText('demo@example.com');
});

test('the npm build: init() from dist/klite.mjs tracks without touching window.klaviyo', async ({ page, api, open }) => {
  await open(`<!doctype html><html><head><script type="module">
import { init } from '${api.url}/dist/klite.mjs';
window.tracker = init({ companyId: 'AbC123', endpoint: '${api.url}' });
window.tracker.identify({ email: 'npm@example.com' }).then(() => window.tracker.track('From npm'));
</script></head><body></body></html>`);
  const [event] = await api.eventCount(1);
  expect(event).toMatchObject({ metric: 'From npm', profile: { email: 'npm@example.com' } });
  expect(await page.evaluate(() => typeof window.klaviyo)).toBe('undefined');
});
