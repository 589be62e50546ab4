// `klite check <url | file.html>`: loads a page in headless Chromium with klite (the built
// dist/klite.js) pointed at a recording endpoint on 127.0.0.1, and prints what klite would send
// there, where each Viewed Product field came from, the platform and the consent signals (see
// check-report.ts). For an agency checking a shop before installing klite: nothing leaves the
// machine from klite, and the page is only read.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PageReport } from './check-page';
import { format, report, type Recorded } from './check-report';

export const CHECK_USAGE = 'usage: klite check <url | page.html> [--wait <seconds, default 5>] [--json] [--chromium <path>]';

/** The placeholder visitor the check identifies: klite holds an anonymous visitor's events until identified. */
export const VISITOR = 'klite-check@example.com';
const COMPANY_ID = 'KCHECK';
// As the test suites run Debian's Chromium: headless, as root on a closed network.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A problem with the input or the machine: one line for the user, never a stack trace. */
class Problem extends Error {}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * The recording endpoint: records the body of each `/client/*` request klite sends and answers as
 * Klaviyo does (202); with `root`, serves that folder too, so a local file is checked from
 * http://127.0.0.1 (klite needs an origin). CORS and Private Network Access headers let a page on
 * any origin post to it.
 */
async function startRecorder(root?: string) {
  const recorded: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] || 'content-type, revision',
      'access-control-allow-private-network': 'true',
    };
    const path = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
    if (req.method == 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.method == 'POST' && path.startsWith('/client/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          recorded.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          recorded.push({ path, body: null });
        }
        res.writeHead(202, cors).end();
      });
      return;
    }
    const file = root && resolve(join(root, path));
    if (req.method == 'GET' && file && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, cors).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url, recorded, close };
}

/** The script run in the checked page's top frame at DOMContentLoaded: the probe, then klite with the recorder as its endpoint, then identify. */
export const initScript = (probe: string, klite: string, endpoint: string) => `if (window === window.top)
  addEventListener('DOMContentLoaded', function () {
    try { ${probe}
    } catch (e) {}
    window.kliteOptions = Object.assign({}, window.kliteOptions, { companyId: ${JSON.stringify(COMPANY_ID)}, endpoint: ${JSON.stringify(endpoint)} });
    ${klite}
    if (window.__klite) window.__klite.identify({ email: ${JSON.stringify(VISITOR)} });
  }, { once: true });`;

/** The target as a URL the browser can open, and the folder to serve when it is a local file. */
function target(input: string): { url?: string; file?: string } {
  if (/^https?:\/\//i.test(input)) {
    try {
      return { url: new URL(input).href };
    } catch {
      throw new Problem(`not a URL: ${input}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(input) && !/^file:/i.test(input))
    throw new Problem(`klite check opens http(s) URLs and local files, not ${input}`);
  const file = resolve(/^file:/i.test(input) ? fileURLToPath(input) : input);
  if (!existsSync(file) || !statSync(file).isFile()) throw new Problem(`no such file: ${input}`);
  return { file };
}

/** Reads a file beside this CLI in dist/ (klite.js, check-page.js). */
function built(name: string): string {
  const url = new URL('./' + name, import.meta.url);
  if (!existsSync(url)) throw new Problem(`dist/${name} is missing: run npm run build`);
  return readFileSync(url, 'utf8');
}

/** The first line of an error's message, without Playwright's call log. */
const firstLine = (e: unknown) =>
  String((e as Error)?.message || e)
    .split('\n')[0]
    .replace(/^\w+\.\w+: /, '');

/** Runs the check; answers its exit code. */
export async function check(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { wait: { type: 'string' }, json: { type: 'boolean' }, chromium: { type: 'string' } },
    }));
  } catch (e) {
    err('klite: ' + firstLine(e) + '\n' + CHECK_USAGE + '\n');
    return 1;
  }
  const wait = Number(values.wait ?? 5);
  if (positionals.length != 1 || !(wait >= 0 && wait <= 120)) {
    err((positionals.length == 1 ? 'klite: --wait takes seconds, 0 to 120\n' : '') + CHECK_USAGE + '\n');
    return 1;
  }
  const chromiumPath = values.chromium || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  let recorder: Awaited<ReturnType<typeof startRecorder>> | undefined;
  let browser: { close(): Promise<void> } | undefined;
  try {
    const { url, file } = target(positionals[0]);
    if (!existsSync(chromiumPath)) throw new Problem(`no Chromium at ${chromiumPath}: install one, or pass --chromium <path>`);
    const klite = built('klite.js');
    const probe = built('check-page.js');
    let chromium;
    try {
      // Optional: only this command needs it (package.json peerDependenciesMeta).
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new Problem('klite check needs playwright-core: npm install --no-save playwright-core');
    }
    recorder = await startRecorder(file && dirname(file));
    const pageUrl = url || `${recorder.url}/${encodeURIComponent(basename(file!))}`;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, args: FLAGS, headless: true });
    } catch (e) {
      throw new Problem(`could not start Chromium at ${chromiumPath}: ${firstLine(e)}`);
    }
    // The shop's Content-Security-Policy would block klite's requests to the recorder.
    const context = await (browser as import('playwright-core').Browser).newContext({ bypassCSP: true });
    await context.addInitScript({ content: initScript(probe, klite, recorder.url) });
    const page = await context.newPage();
    let status = 0;
    try {
      status = (await page.goto(pageUrl, { waitUntil: 'domcontentloaded', timeout: 30_000 }))?.status() || 0;
    } catch (e) {
      throw new Problem(`could not load ${pageUrl}: ${firstLine(e)}`);
    }
    // Auto-capture looks again at 1, 2, 4 s… for storefronts that render the product late.
    await page.waitForTimeout(wait * 1000);
    const read = () =>
      page.evaluate(async () => {
        const w = window as any;
        if (!w.__klite || !w.__kliteCheck) return null;
        await Promise.race([w.__klite.flush(), new Promise((r) => setTimeout(r, 5000))]);
        return { page: w.__kliteCheck() as PageReport, state: String(await w.__klite.consent()) };
      });
    // A page that navigates on its own (a redirect by script) is read where it lands.
    const found = await read().catch(() => page.waitForLoadState('domcontentloaded').then(read));
    if (!found) throw new Problem(`klite did not start on ${page.url()} (the page replaced the document before DOMContentLoaded?)`);
    const r = report(url || file!, VISITOR, recorder.recorded, found.page, found.state);
    if (values.json) out(JSON.stringify({ ...r, status }, null, 2) + '\n');
    else out(format(r) + (status >= 400 ? `Note: the page answered HTTP ${status}.\n` : ''));
    return 0;
  } catch (e) {
    err('klite: ' + (e instanceof Problem ? e.message : 'check failed: ' + firstLine(e)) + '\n');
    return 1;
  } finally {
    await browser?.close().catch(() => {});
    recorder?.close();
  }
}
