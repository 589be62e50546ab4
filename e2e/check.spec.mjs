// `npx klite check`, the built CLI, on capture fixtures: as a local file and through a loopback URL.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { test, expect } from '@playwright/test';

const FIXTURES = new URL('./fixtures/capture/', import.meta.url);
const run = (...args) =>
  new Promise((done) =>
    execFile(process.execPath, ['dist/klite-cli.mjs', 'check', ...args], (error, stdout, stderr) =>
      done({ code: error ? error.code : 0, stdout, stderr }),
    ),
  );

test('a local file: the events, each field with its source, the platform', async () => {
  const { code, stdout } = await run('e2e/fixtures/capture/shopify-product.html', '--wait', '2');
  expect(code).toBe(0);
  expect(stdout).toContain('Platform: Shopify\n');
  expect(stdout).toContain('\n  Active on Site\n  Viewed Product\n');
  expect(stdout).toMatch(/\n {4}ProductName +Trail Boot ← JSON-LD\n/);
  expect(stdout).toMatch(/\n {4}ProductID +7001 ← ShopifyAnalytics\.meta\n/);
  expect(stdout).toMatch(/\n {4}Price +129 ← JSON-LD\n/);
});

test('a loopback URL, as JSON; a page about no product; an unreachable URL', async () => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    createReadStream(new URL('.' + new URL(req.url, 'http://x').pathname, FIXTURES))
      .on('error', () => res.end())
      .pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const bc = await run(`${base}/bigcommerce-product.html`, '--wait', '2', '--json');
    expect(bc.code).toBe(0);
    const r = JSON.parse(bc.stdout);
    expect(r).toMatchObject({ platform: 'BigCommerce', activeOnSite: 1, sources: ['microdata', 'OpenGraph', 'BCData'] });
    expect(r.viewedProduct).toEqual(
      expect.arrayContaining([
        { field: 'SKU', value: 'NW-MUG', source: 'microdata' },
        { field: 'ProductID', value: 'NW-MUG', source: 'its SKU' },
      ]),
    );
    const article = await run(`${base}/article.html`, '--wait', '1');
    expect(article.stdout).toContain('\n  Active on Site\n  Viewed Product: not sent (no source describes one product here');
  } finally {
    server.close();
  }
  const gone = await run(`${base}/shopify-product.html`, '--wait', '0');
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/^klite: could not load http:\/\/127\.0\.0\.1:\d+\/shopify-product\.html: net::ERR_CONNECTION_REFUSED/);
  expect(gone.stderr.trim().split('\n')).toHaveLength(1);
});
