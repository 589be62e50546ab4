// One small driver over three engines, so one test runs in each: Chromium through Playwright (it
// drives Debian's stock Chromium over CDP), Firefox ESR through puppeteer-core over WebDriver
// BiDi, WebKitGTK's MiniBrowser through classic WebDriver (WebKitWebDriver, under Xvfb), spoken
// here directly over HTTP. Playwright's own Firefox and WebKit are patched builds it downloads;
// they are not what shoppers run, and downloads fail here (see README "Browsers").
//
// A session is a fresh profile's storage (a browser context, or a WebDriver session); a tab loads
// pages and runs functions in them. Functions cross as source text with one JSON argument, and
// may be async. Nothing here knows about klite.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Why an engine cannot run here, or undefined. */
export function missing(engine) {
  const need = { chromium: [CHROMIUM_PATH], firefox: [FIREFOX], webkit: [WEBKIT_DRIVER, MINIBROWSER, '/usr/bin/Xvfb'] }[engine];
  const absent = need.filter((f) => !existsSync(f));
  return absent.length ? `${engine}: not installed (${absent.join(', ')}); bash .ci/run installs it` : undefined;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `source` (a function's text) with `arg` in the page; the same wrapper for every engine. */
const script = (source, arg) => `return (${source})(${arg === undefined ? '' : JSON.stringify(arg)})`;

// ---------------------------------------------------------------------------------------------
// Chromium: Playwright.

async function chromium() {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const tab = (page) => ({
    goto: async (url) => void (await page.goto(url)),
    evaluate: (fn, arg) => page.evaluate(new Function(script(String(fn), arg))),
    close: () => page.close({ runBeforeUnload: true }),
  });
  return {
    version: browser.version(),
    async session() {
      const context = await browser.newContext();
      return { tab: async () => tab(await context.newPage()), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Firefox: puppeteer-core over WebDriver BiDi.

async function firefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // A closed network: no update, telemetry or safe-browsing traffic.
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const tab = (page) => ({
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    evaluate: (fn, arg) => page.evaluate(new Function(script(String(fn), arg))),
    close: () => page.close({ runBeforeUnload: true }),
  });
  return {
    version: await browser.version(),
    async session() {
      const context = await browser.createBrowserContext();
      return { tab: async () => tab(await context.newPage()), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// WebKit: WebKitWebDriver launching MiniBrowser, W3C WebDriver over HTTP.

/** One Xvfb per process, on a display found free. */
let xvfb;
async function display() {
  if (xvfb) return xvfb;
  for (let n = 90 + (process.pid % 50); ; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn('/usr/bin/Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`) && proc.exitCode === null; i++) await sleep(100);
    if (proc.exitCode !== null) continue;
    process.once('exit', () => proc.kill());
    return (xvfb = { display: `:${n}`, proc });
  }
}

/** A WebKitWebDriver (it serves one session at a time) with its HTTP calls. */
async function webdriver(DISPLAY) {
  const port = await freePort();
  const proc = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY } });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error} ${json.value?.message}`);
    return json.value;
  };
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/status');
      return { call, kill: () => proc.kill() };
    } catch (e) {
      if (i > 100 || proc.exitCode !== null) throw new Error('WebKitWebDriver did not start: ' + e.message);
      await sleep(100);
    }
  }
}

async function webkit() {
  const { display: DISPLAY } = await display();
  const capabilities = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  };
  const open = new Set();
  let version = 'WebKitGTK';
  /** A session: its own driver and MiniBrowser, whose storage lasts as long as it. */
  const session = async () => {
    const { call, kill } = await webdriver(DISPLAY);
    const { sessionId, capabilities: caps } = await call('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    version = `WebKitGTK ${caps.browserVersion}`;
    const s = `/session/${sessionId}`;
    await call('POST', s + '/timeouts', { script: 30_000, pageLoad: 30_000 });
    let current = await call('GET', s + '/window');
    const use = async (handle) => {
      if (current !== handle) {
        await call('POST', s + '/window', { handle });
        current = handle;
      }
    };
    const tab = (handle) => ({
      goto: async (url) => (await use(handle), void (await call('POST', s + '/url', { url }))),
      async evaluate(fn, arg) {
        await use(handle);
        // The async form: a function's Promise is awaited, its rejection becomes an error here.
        const wrapped = `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => { ${script(String(fn), arg)} }).then((v) => done({ v }), (e) => done({ e: String(e && e.stack || e) }));`;
        const out = await call('POST', s + '/execute/async', { script: wrapped, args: [] });
        if (out && 'e' in out) throw new Error(out.e);
        return out?.v;
      },
      async close() {
        await use(handle);
        await call('DELETE', s + '/window');
        current = undefined;
      },
    });
    let first = current;
    const close = async () => {
      open.delete(close);
      await call('DELETE', s).catch(() => {});
      kill();
    };
    open.add(close);
    return {
      async tab() {
        if (first) {
          const h = first;
          first = undefined;
          return tab(h);
        }
        const { handle } = await call('POST', s + '/window/new', { type: 'tab' });
        return tab(handle);
      },
      close,
    };
  };
  return {
    get version() {
      return version;
    },
    session,
    close: () => Promise.all([...open].map((close) => close())),
  };
}

// ---------------------------------------------------------------------------------------------
// Every call bounded: a browser that stops answering (Chromium, once in a while, never answers
// the disposal of a context) must cost a test a clear line, not the suite its time budget.

const LIMITS = { session: 30_000, tab: 30_000, goto: 45_000, evaluate: 45_000, close: 15_000 };

function bounded(engine, what, promise) {
  const ms = LIMITS[what];
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const line = `${engine}: ${what} did not answer in ${ms / 1000} s`;
      // A close that hangs leaves nothing a test checks; the browser is ended at the worker's end.
      if (what == 'close') {
        console.log(line + '; going on');
        resolve();
      } else reject(new Error(line));
    }, ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Starts `engine`: `{ version, session(): { tab(), close() }, close() }`, every call bounded. */
export async function launch(engine) {
  const browser = await { chromium, firefox, webkit }[engine]();
  const wrap = (object, names) => {
    const out = { ...object };
    for (const name of names) out[name] = (...args) => bounded(engine, name, object[name](...args));
    return out;
  };
  const tab = (t) => wrap(t, ['goto', 'evaluate', 'close']);
  const session = (s) => ({ ...wrap(s, ['close']), tab: () => bounded(engine, 'tab', s.tab().then(tab)) });
  return {
    get version() {
      return browser.version;
    },
    session: () => bounded(engine, 'session', browser.session().then(session)),
    close: () => bounded(engine, 'close', browser.close()),
  };
}
