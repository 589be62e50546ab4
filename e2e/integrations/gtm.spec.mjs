// The Google Tag Manager template (integrations/gtm/template.tpl) in a page, as GTM would run it:
// its sandboxed code through the same emulated APIs as the unit tests (gtm-sandbox.mjs's
// createApis, its source sent into the page, so the same permission checks apply), where
// injectScript adds a real async script element and createQueue pushes onto the real
// window._learnq. klite then delivers to the local endpoint.
//
// The script URL is the template's own default, this version on jsDelivr, answered by the page's
// router with the built dist/klite.js: GTM's match patterns are https only, so no declared pattern
// could cover the endpoint's http loopback origin, and this way the declared permission is tested
// unchanged. A self-hosted URL is tested the way a merchant sets one up: refused until its host is
// added to the template's "Injects scripts" permission.
import { readFileSync } from 'node:fs';
import { test, expect, KEY } from '../fixtures.mjs';
import { createApis, dataFor, parseTemplate } from '../../test/integrations/gtm-sandbox.mjs';

const template = parseTemplate(readFileSync(new URL('../../integrations/gtm/template.tpl', import.meta.url), 'utf8'));
const klite = readFileSync(new URL('../../dist/klite.js', import.meta.url));
const DEFAULT_SRC = dataFor(template.parameters).scriptUrl;

/** Serves dist/klite.js for requests to `src` (with any query), once `held` (if given) resolves. */
const serveKlite = (page, src, held) =>
  page.route(
    (url) => url.href.startsWith(src + '?'),
    async (route) => {
      await held;
      await route.fulfill({ contentType: 'text/javascript', body: klite });
    },
  );

/** Fires the template as a tag in the page, with `data` from its fields' defaults and `overrides`. */
const fire = (page, overrides, permissions = template.permissions) =>
  page.evaluate(
    ({ source, code, permissions, data }) => {
      const gtm = (window.__gtm ||= {
        runs: [],
        // One env for the page, as one GTM container: its injectScript cache is shared by the tags.
        env: {
          window,
          debug: false,
          log: (...args) => console.log(...args),
          inject(url, onLoad, onError) {
            const script = document.createElement('script');
            script.async = true;
            script.src = url;
            script.onload = onLoad;
            script.onerror = onError;
            document.head.appendChild(script);
          },
        },
      });
      const run = { success: 0, failure: 0 };
      gtm.runs.push(run);
      data.gtmOnSuccess = () => run.success++;
      data.gtmOnFailure = () => run.failure++;
      const { require } = (0, eval)(`(${source})`)(permissions, gtm.env);
      new Function('require', 'data', code)(require, data);
    },
    { source: createApis.toString(), code: template.code, permissions, data: dataFor(template.parameters, overrides) },
  );

const runs = (page) => page.evaluate(() => window.__gtm.runs);
const kliteScripts = (page) => page.evaluate(() => [...document.scripts].filter((s) => s.src.includes('klite.js')).map((s) => s.src));

test('GTM: the load tag, then an event tag fired before klite has loaded, deliver the event with its properties and email', async ({
  page,
  api,
  open,
}) => {
  let release;
  await serveKlite(page, DEFAULT_SRC, new Promise((resolve) => (release = resolve)));
  await open('<!doctype html><html><head></head><body><h1>Shoes</h1></body></html>');

  await fire(page, { companyId: KEY, endpoint: api.url });
  await fire(page, {
    companyId: KEY,
    endpoint: api.url,
    tagType: 'track',
    eventName: 'Viewed Category',
    properties: [
      { name: 'Category', value: 'Shoes' },
      { name: 'Items', value: 3 },
      { name: '$value', value: 42 },
    ],
    email: 'gtm@example.com',
  });
  // klite.js is still on its way: the event waits in `_learnq`, and there is one script for both tags.
  expect(await page.evaluate(() => ({ loaded: !!window.__klite, queued: window._learnq }))).toEqual({
    loaded: false,
    queued: [
      ['identify', { email: 'gtm@example.com' }],
      ['track', 'Viewed Category', { Category: 'Shoes', Items: 3, $value: 42 }],
    ],
  });
  expect(await kliteScripts(page)).toEqual([`${DEFAULT_SRC}?company_id=${KEY}&endpoint=${encodeURIComponent(api.url)}`]);
  expect(await runs(page)).toEqual([
    { success: 0, failure: 0 },
    { success: 0, failure: 0 },
  ]);

  release();
  const [event] = await api.eventCount(1);
  expect(event.metric).toBe('Viewed Category');
  expect(event.properties).toMatchObject({ Category: 'Shoes', Items: 3 });
  expect(event.value).toBe(42);
  expect(event.profile.email).toBe('gtm@example.com');
  // Each tag reported success exactly once, when the script had loaded.
  expect(await runs(page)).toEqual([
    { success: 1, failure: 0 },
    { success: 1, failure: 0 },
  ]);
});

test('GTM: a self-hosted script URL is refused until its host is in the "Injects scripts" permission', async ({
  page,
  api,
  open,
  logs,
}) => {
  const src = 'https://static.shop.example/kl/klite.js';
  await serveKlite(page, src);
  await open('<!doctype html><html><head></head><body></body></html>');
  const tag = {
    companyId: KEY,
    endpoint: api.url,
    scriptUrl: src,
    tagType: 'track',
    eventName: 'Signed Up',
    email: 'own-host@example.com',
  };

  await fire(page, tag);
  expect(await runs(page)).toEqual([{ success: 0, failure: 1 }]);
  expect(await kliteScripts(page)).toEqual([]);
  expect(await page.evaluate(() => window._learnq)).toBeUndefined();
  expect(logs.console.filter((l) => l.startsWith('log: klite:'))).toEqual([expect.stringContaining('"Injects scripts" permission')]);

  // What the merchant does in the template editor: add the host's pattern to the permission.
  const edited = { ...template.permissions, inject_script: [...template.permissions.inject_script, 'https://static.shop.example/kl/*'] };
  await fire(page, tag, edited);
  const [event] = await api.eventCount(1);
  expect([event.metric, event.profile.email]).toEqual(['Signed Up', 'own-host@example.com']);
  expect(await kliteScripts(page)).toEqual([`${src}?company_id=${KEY}&endpoint=${encodeURIComponent(api.url)}`]);
  await expect
    .poll(() => runs(page))
    .toEqual([
      { success: 0, failure: 1 },
      { success: 1, failure: 0 },
    ]);
});
