// klite's first-party proxy in both runtimes it ships for (runtimes.ts), with the demo endpoint
// (demo/klaviyo.mjs: Klaviyo's statuses, checks and error bodies) as its upstream on loopback:
// routing, the allow-list, limits, upstream faults, what is stripped and passed, the cookies it
// sets, and receipts. Every case runs in Node and in workerd alike.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../demo/server.mjs';
import { startNode, startWorkerd, type Running, type Settings } from './runtimes';

const KEY = 'AbC123';
const OTHER = 'XyZ789';
const PREFIX = '/kl';
/** Short, so the timeout case is quick; the injected latency is well past it. */
const TIMEOUT = 800;
const DIST = new URL('../../dist/', import.meta.url);

const event = (n = 1) =>
  JSON.stringify({
    data: {
      type: 'event',
      attributes: {
        properties: { n },
        unique_id: 'proxy-' + n + '-' + Math.random(),
        metric: { data: { type: 'metric', attributes: { name: 'Proxied' } } },
        profile: { data: { type: 'profile', attributes: { email: 'proxy@example.com' } } },
      },
    },
  });

/**
 * POSTs `size` bytes over a plain socket the way curl does, with `Expect: 100-continue`: the body
 * goes once the server asks for it. A proxy that refuses a body early answers and closes the
 * connection; a client still writing then sees only a reset (Node's fetch reports just that).
 */
const rawPost = (url: string, size: number, declared: boolean) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    const socket = connect(Number(port), hostname);
    let text = '';
    let sending = false;
    socket.on('data', (d) => {
      text += d;
      if (!sending && /^HTTP\/1\.1 100 /.test(text) && text.includes('\r\n\r\n')) {
        text = text.slice(text.indexOf('\r\n\r\n') + 4);
        sending = true;
        write();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      const status = Number(text.match(/^HTTP\/1\.1 (\d+)/)?.[1]);
      if (!status) return reject(new Error('no answer: ' + text.slice(0, 200)));
      // (A chunked answer has size lines around its body: the JSON is what matters here.)
      resolve({ status, body: text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1) });
    });
    socket.write(
      `POST ${pathname}${search} HTTP/1.1\r\nhost: ${hostname}\r\nconnection: close\r\nexpect: 100-continue\r\n` +
        (declared ? `content-length: ${size}\r\n\r\n` : 'transfer-encoding: chunked\r\n\r\n'),
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let left = size;
    const write = () => {
      while (left > 0 && !socket.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        const part = chunk.subarray(0, n);
        const ok = socket.write(declared ? part : Buffer.concat([Buffer.from(n.toString(16) + '\r\n'), part, Buffer.from('\r\n')]));
        if (!ok) return socket.once('drain', write);
      }
      if (!declared && !socket.destroyed) socket.write('0\r\n\r\n');
    };
  });

type Upstream = Awaited<ReturnType<typeof startServer>>;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startServer({ port: 0 });
});
afterAll(() => upstream.close());

const runtimes: [string, (s: Settings) => Promise<Running>][] = [
  ['node', startNode],
  ['workerd', startWorkerd],
];

describe.each(runtimes)('proxy in %s', (runtime, start) => {
  let proxy: Running;
  /** The same proxy with an upstream that nothing listens on. */
  let deadEnd: Running;

  beforeAll(async () => {
    const settings = { upstream: upstream.url, companyIds: [KEY, OTHER], prefix: PREFIX, timeout: TIMEOUT };
    proxy = await start(settings);
    deadEnd = await start({ ...settings, upstream: 'http://127.0.0.1:9' });
  }, 30_000);
  afterAll(async () => {
    await proxy?.close();
    await deadEnd?.close();
  });
  beforeEach(async () => {
    await fetch(upstream.url + '/__reset', { method: 'POST' });
  });

  const post = (path: string, init: RequestInit & { query?: string } = {}, base = proxy.url) =>
    fetch(`${base}${PREFIX}/client/${path}?company_id=${KEY}${init.query || ''}`, {
      method: 'POST',
      body: event(),
      ...init,
      headers: { 'content-type': 'application/vnd.api+json', revision: '2026-07-15', ...(init.headers as object) },
    });
  const received = async () => (await (await fetch(upstream.url + '/__inspect/requests')).json()) as any[];
  const faults = (list: object[]) => fetch(upstream.url + '/__faults', { method: 'POST', body: JSON.stringify(list) });

  it('serves klite.js, the stub and the debug view, cacheable, as built', async () => {
    const res = await fetch(proxy.url + PREFIX + '/klite.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toBe(readFileSync(new URL('klite.js', DIST), 'utf8'));
    const stub = await fetch(proxy.url + PREFIX + '/stub.min.js');
    expect(await stub.text()).toBe(readFileSync(new URL('stub.min.js', DIST), 'utf8'));
    // Debug mode's view, which klite.js loads from beside itself: through the proxy too.
    const debug = await fetch(proxy.url + PREFIX + '/klite-debug.js');
    expect(await debug.text()).toBe(readFileSync(new URL('klite-debug.js', DIST), 'utf8'));
    const head = await fetch(proxy.url + PREFIX + '/klite.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('forwards the client paths, body, revision and query unchanged, and passes the answer back', async () => {
    const body = event(7);
    const res = await post('events', { body });
    expect(res.status).toBe(202);
    const [r] = await received();
    expect(r).toMatchObject({ path: '/client/events', query: { company_id: KEY }, body, status: 202 });
    expect(r.headers).toMatchObject({ revision: '2026-07-15', 'content-type': 'application/vnd.api+json' });
    for (const path of ['event-bulk-create', 'profiles', 'subscriptions', 'events/'])
      expect((await post(path, { body: '{}' })).status, path).toBe(400);
    // Klaviyo's own refusal, detail and all.
    const refused = await post('profiles', { body: '{}' });
    expect((await refused.json()).errors[0].detail).toBeTruthy();
  });

  it('answers nothing else: other paths 404, other methods 405, nothing forwarded', async () => {
    for (const path of ['/client/accounts', '/api/profiles', '/client/events/../../api/profiles', '/elsewhere'])
      expect((await fetch(proxy.url + PREFIX + path + '?company_id=' + KEY, { method: 'POST', body: '{}' })).status, path).toBe(404);
    expect((await fetch(proxy.url + '/client/events?company_id=' + KEY, { method: 'POST', body: '{}' })).status).toBe(404);
    const get = await fetch(`${proxy.url}${PREFIX}/client/events?company_id=${KEY}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await received()).toEqual([]);
  });

  it('forwards only for its own public keys; a private key is refused with the reason', async () => {
    expect((await post('events', { query: '' })).status).toBe(202);
    const stranger = await fetch(`${proxy.url}${PREFIX}/client/events?company_id=QQQ111`, { method: 'POST', body: event() });
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).errors[0].code).toBe('company_not_allowed');
    const secret = await fetch(`${proxy.url}${PREFIX}/client/events?company_id=pk_0123456789abcdef`, { method: 'POST', body: event() });
    expect(secret.status).toBe(403);
    expect((await secret.json()).errors[0].detail).toMatch(/private API key.*Rotate/);
    expect((await received()).length).toBe(1);
  });

  it("refuses a body over Klaviyo's 5 MB without forwarding it", async () => {
    for (const declared of [true, false]) {
      const res = await rawPost(`${proxy.url}${PREFIX}/client/events?company_id=${KEY}`, 5 * 1024 * 1024 + 1, declared);
      expect(res.status, declared ? 'with Content-Length' : 'chunked').toBe(413);
      expect(JSON.parse(res.body).errors[0].code).toBe('too_large');
    }
    expect(await received()).toEqual([]);
  });

  it('passes upstream faults through: 5xx, 429 with its Retry-After', async () => {
    await faults([{ status: 503, count: 1 }]);
    expect((await post('events')).status).toBe(503);
    await faults([{ status: 429, count: 1, retryAfter: 7 }]);
    const limited = await post('events');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('answers 504 when the upstream is too slow, 502 when it cannot be reached', async () => {
    await faults([{ latency: TIMEOUT + 1500, count: 1 }]);
    const slow = await post('events');
    expect(slow.status).toBe(504);
    expect((await slow.json()).errors[0].code).toBe('upstream_timeout');
    const dead = await post('events', {}, deadEnd.url);
    expect(dead.status).toBe(502);
    expect((await dead.json()).errors[0].code).toBe('upstream_unreachable');
  });

  it("never forwards the visitor's cookies or credentials; the client's address goes in X-Forwarded-For", async () => {
    await post('events', {
      headers: {
        cookie: '__kla_id=eyJjaWQiOiJhYmMifQ%3D%3D; session=secret',
        authorization: 'Bearer secret',
        'x-forwarded-for': '203.0.113.5',
        'cf-connecting-ip': '198.51.100.7',
      },
    });
    const [r] = await received();
    expect(r.headerNames).not.toContain('cookie');
    expect(r.headerNames).not.toContain('authorization');
    expect(r.headerNames).not.toContain('cf-connecting-ip');
    // Node: the socket's address after the proxies in front; a Worker: Cloudflare's CF-Connecting-IP.
    expect(r.headers['x-forwarded-for']).toBe(runtime == 'node' ? '203.0.113.5, 127.0.0.1' : '203.0.113.5, 198.51.100.7');
  });

  it('sets the visitor cookie again for 400 days, only when the page sent it, value untouched', async () => {
    const id = 'eyJjaWQiOiJhYmMifQ%3D%3D';
    const kept = await post('events', { headers: { cookie: `other=1; __kla_id=${id}` } });
    expect(kept.headers.getSetCookie()).toEqual([`__kla_id=${id}; Path=/; Max-Age=34560000; SameSite=Lax`]);
    // Also on an upstream refusal: the visitor is the same.
    const refused = await post('profiles', { body: '{}', headers: { cookie: `__kla_id=${id}` } });
    expect(refused.headers.getSetCookie()).toEqual([`__kla_id=${id}; Path=/; Max-Age=34560000; SameSite=Lax`]);
    // None sent (erased, or never made): none made.
    expect((await post('events')).headers.getSetCookie()).toEqual([]);
    expect((await post('events', { headers: { cookie: '__kla_id=' } })).headers.getSetCookie()).toEqual([]);
    // Not a cookie value klite writes: not echoed into a header.
    expect((await post('events', { headers: { cookie: '__kla_id=a b' } })).headers.getSetCookie()).toEqual([]);
  });

  it('gives a receipt for an accepted batch, strips the batch, and clears the receipts a request carries', async () => {
    const keys = 'mh2x1k000000abcdefghij.mh2x1k000001abcdefghij';
    const res = await post('events', { query: '&batch=' + keys, headers: { cookie: 'klr_old.keys=1' } });
    expect(res.status).toBe(202);
    expect(res.headers.getSetCookie()).toEqual([
      `klr_old.keys=; Path=/; Max-Age=0; SameSite=Lax`,
      `klr_${keys}=1; Path=/; Max-Age=86400; SameSite=Lax`,
    ]);
    const [r] = await received();
    expect(r.query).toEqual({ company_id: KEY });
    // Not accepted: no receipt (the calls are sent again).
    await faults([{ status: 500, count: 1 }]);
    expect((await post('events', { query: '&batch=' + keys })).headers.getSetCookie()).toEqual([]);
    expect((await post('profiles', { body: '{}', query: '&batch=' + keys })).headers.getSetCookie()).toEqual([]);
    // Not a batch klite makes: forwarded, no receipt.
    for (const bad of ['a;b', 'x'.repeat(41), Array(51).fill('k').join('.')])
      expect((await post('events', { query: '&batch=' + encodeURIComponent(bad) })).headers.getSetCookie(), bad).toEqual([]);
  });
});

// `klite/proxy` as Next.js route handlers, Hydrogen (Oxygen) and other fetch runtimes take it:
// the handler alone, called with the platform's Request.
describe('klite/proxy, the fetch handler (dist/proxy.mjs)', () => {
  const built = new URL('proxy.mjs', DIST);

  it('needs nothing of Node: it runs wherever fetch does (Oxygen, Vercel, Deno…)', () => {
    expect(readFileSync(built, 'utf8')).not.toMatch(/from ['"]node:|require\(/);
  });

  it('on https, the cookies it sets are Secure; the client address is the one the platform gives', async () => {
    const { createProxy } = await import(built.href);
    const handle = createProxy({ companyIds: [KEY], upstream: upstream.url, prefix: PREFIX });
    await fetch(upstream.url + '/__reset', { method: 'POST' });
    const request = new Request(`https://shop.example${PREFIX}/client/events?company_id=${KEY}&batch=k1.k2`, {
      method: 'POST',
      body: event(),
      headers: { 'content-type': 'application/vnd.api+json', revision: '2026-07-15', cookie: '__kla_id=abc%3D' },
    });
    const res: Response = await handle(request, '192.0.2.10');
    expect(res.status).toBe(202);
    expect(res.headers.getSetCookie()).toEqual([
      '__kla_id=abc%3D; Path=/; Max-Age=34560000; SameSite=Lax; Secure',
      'klr_k1.k2=1; Path=/; Max-Age=86400; SameSite=Lax; Secure',
    ]);
    const [r] = (await (await fetch(upstream.url + '/__inspect/requests')).json()) as any[];
    expect(r.headers['x-forwarded-for']).toBe('192.0.2.10');
  });
});

describe('the klite-proxy command (dist/proxy-cli.mjs)', () => {
  const cli = (args: string[]) => spawn(process.execPath, [new URL('proxy-cli.mjs', DIST).pathname, ...args]);

  it('prints its URL and forwards there', async () => {
    const child = cli(['--company-id', `${OTHER},${KEY}`, '--port', '0', '--upstream', upstream.url, '--prefix', PREFIX]);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d) => resolve(String(d)));
        child.once('exit', (code) => reject(new Error('exited ' + code)));
      });
      const url = line.match(/klite-proxy: (http:\/\/127\.0\.0\.1:\d+\/kl)\/ → (\S+)/);
      expect(url?.[2]).toBe(upstream.url);
      await fetch(upstream.url + '/__reset', { method: 'POST' });
      const res = await fetch(`${url![1]}/client/events?company_id=${KEY}`, {
        method: 'POST',
        body: event(),
        headers: { revision: '2026-07-15' },
      });
      expect(res.status).toBe(202);
      expect((await fetch(url![1] + '/klite.js')).status).toBe(200);
    } finally {
      child.kill();
    }
  });

  it('refuses to start without public keys, saying how to call it', async () => {
    const child = cli(['--company-id', 'pk_secret']);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    expect(await new Promise((r) => child.once('exit', r))).toBe(1);
    expect(err).toMatch(/--company-id takes public keys[\s\S]*usage: klite-proxy/);
  });
});
