// The demo endpoint over real HTTP on 127.0.0.1: Klaviyo's checks, semantics, limits, rate
// limits, fault injection and persistence.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../demo/server.mjs';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
const headers = { 'content-type': 'application/vnd.api+json', revision: '2026-07-15' };

const event = (name = 'Viewed Product', extra: object = {}, props: object = { a: 1 }, email = 'a@example.com') => ({
  data: {
    type: 'event',
    attributes: {
      properties: props,
      metric: { data: { type: 'metric', attributes: { name } } },
      profile: { data: { type: 'profile', attributes: { email } } },
      ...extra,
    },
  },
});
const bulk = (events: object[], email = 'a@example.com') => ({
  data: {
    type: 'event-bulk-create',
    attributes: { profile: { data: { type: 'profile', attributes: { email } } }, events: { data: events } },
  },
});
const entry = (name: string, unique_id: string) => ({
  type: 'event',
  attributes: { properties: {}, metric: { data: { type: 'metric', attributes: { name } } }, unique_id },
});

async function post(
  path: string,
  body: unknown,
  { key = 'AbC123', h = headers }: { key?: string | null; h?: Record<string, string> } = {},
) {
  const res = await fetch(server.url + path + (key === null ? '' : '?company_id=' + key), {
    method: 'POST',
    headers: h,
    body: typeof body == 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
const inspect = async (what: string) => (await fetch(server.url + '/__inspect/' + what)).json();
const faults = (list: object[]) => fetch(server.url + '/__faults', { method: 'POST', body: JSON.stringify(list) });

beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await fetch(server.url + '/__reset', { method: 'POST' });
});

describe('the demo endpoint', () => {
  it('answers CORS preflights for the headers klite sends', async () => {
    const res = await fetch(server.url + '/client/events/', {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.example', 'access-control-request-headers': 'content-type,revision' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('revision');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('accepts a valid event with 202 and no body, with or without a trailing slash', async () => {
    expect(await post('/client/events', event())).toMatchObject({ status: 202, body: undefined });
    expect((await post('/client/events/', event('Other'))).status).toBe(202);
    expect((await inspect('events')).map((e: any) => e.metric)).toEqual(['Viewed Product', 'Other']);
  });

  it('refuses a missing, private or malformed key and a missing revision with JSON:API errors', async () => {
    const missing = await post('/client/events', event(), { key: null });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ code: 'invalid', source: { parameter: 'company_id' } });
    expect(Object.keys(missing.body.errors[0])).toEqual(expect.arrayContaining(['id', 'code', 'title', 'detail', 'source']));
    const priv = await post('/client/events', event(), { key: 'pk_abcdef123456' });
    expect(priv.status).toBe(400);
    expect(priv.body.errors[0].detail).toMatch(/[Pp]rivate API keys must never/);
    expect((await post('/client/events', event(), { key: 'short' })).status).toBe(400);
    const noRevision = await post('/client/events', event(), { h: { 'content-type': 'application/json' } });
    expect(noRevision.body.errors[0].source).toEqual({ parameter: 'revision' });
    expect((await inspect('counters')).rejected).toBe(4);
  });

  it('validates bodies against the schemas and points at the problem', async () => {
    const res = await post('/client/events', event('X', { uniqueId: 'x' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/uniqueId');
    expect((await post('/client/events', '{not json')).status).toBe(400);
  });

  it('fails a whole bulk request that repeats a unique_id for one metric', async () => {
    const res = await post('/client/event-bulk-create', bulk([entry('A', '1'), entry('B', '1'), entry('A', '1')]));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('duplicate_unique_id');
    expect(await inspect('events')).toEqual([]);
    expect((await post('/client/event-bulk-create', bulk([entry('A', '1'), entry('B', '1')]))).status).toBe(202);
  });

  it('keeps the first event with a unique_id and counts later copies as duplicates', async () => {
    await post('/client/events', event('A', { unique_id: 'u1' }, { n: 1 }));
    await post('/client/events', event('A', { unique_id: 'u1' }, { n: 2 }));
    await post('/client/events', event('A', { unique_id: 'u1' }, { n: 3 }, 'b@example.com'));
    const events = await inspect('events');
    expect(events.filter((e: any) => !e.duplicate).map((e: any) => e.properties.n)).toEqual([1, 3]);
    expect(await inspect('counters')).toMatchObject({ accepted: 2, duplicate: 1 });
  });

  it('answers over-limit payloads with 400s (and 413 past 5 MB)', async () => {
    const many = Object.fromEntries(Array.from({ length: 301 }, (_, i) => ['p' + i, i]));
    expect((await post('/client/events', event('A', {}, many))).status).toBe(400);
    expect((await post('/client/events', event('A', {}, { s: 'x'.repeat(100 * 1024 + 1) }))).status).toBe(400);
    expect((await post('/client/events', event('A', { time: '1999-12-31T00:00:00Z' }))).status).toBe(400);
    expect((await post('/client/events', event('A', { time: new Date(Date.now() + 400 * 864e5).toISOString() }))).status).toBe(400);
    let deep: object = { leaf: 1 };
    for (let i = 0; i < 11; i++) deep = { deep };
    expect((await post('/client/events', event('A', {}, deep))).status).toBe(400);
    expect((await post('/client/events', event('A', {}, { s: 'x'.repeat(5 * 1024 * 1024) }))).status).toBe(413);
    expect((await post('/client/event-bulk-create', bulk(Array.from({ length: 1001 }, (_, i) => entry('A', 'u' + i))))).status).toBe(400);
    expect(
      (await post('/client/events', event('A', {}, Object.fromEntries(Array.from({ length: 300 }, (_, i) => ['p' + i, i]))))).status,
    ).toBe(202);
  });

  it('rate-limits per the documented burst with 429 and Retry-After', async () => {
    // 30 at once: however they fall across second boundaries, some window holds more than 10.
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('/client/event-bulk-create', bulk([entry('A', 'r' + i), entry('B', 'r' + i)], `r${i}@example.com`)),
      ),
    );
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0].body.errors[0].code).toBe('throttled');
  });

  it('injects faults: N statuses, a time window, Retry-After, a seeded ratio, latency, dropped connections', async () => {
    await faults([{ status: 503, count: 2 }]);
    expect([
      (await post('/client/events', event())).status,
      (await post('/client/events', event())).status,
      (await post('/client/events', event())).status,
    ]).toEqual([503, 503, 202]);

    await faults([{ status: 429, retryAfter: 3, ms: 300 }]);
    const throttled = await post('/client/events', event());
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '3']);
    // The window ends by the server's clock: moved on, not waited for.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 350);
    expect((await post('/client/events', event())).status).toBe(202);
    vi.useRealTimers();

    const run = async () => {
      await faults([{ status: 500, ratio: 0.5, seed: 7 }]);
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await post('/client/events', event('R', { unique_id: 'x' + Math.random() }))).status);
      return out;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(202);
    expect(await run()).toEqual(first);

    await faults([{ latency: 300, count: 1 }]);
    const t0 = Date.now();
    await post('/client/events', event());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

    await faults([{ drop: true, count: 1 }]);
    await expect(post('/client/events', event())).rejects.toThrow();
    expect((await post('/client/events', event())).status).toBe(202);
  });
});

describe('persistence', () => {
  it('keeps accepted events, profiles and dedupe across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klite-demo-'));
    try {
      let s = await startServer({ port: 0, dataDir: dir });
      const send = (body: object, path = '/client/events') =>
        fetch(s.url + path + '?company_id=AbC123', { method: 'POST', headers, body: JSON.stringify(body) });
      await send(event('Kept', { unique_id: 'k1' }));
      await send({ data: { type: 'profile', attributes: { email: 'a@example.com', first_name: 'Ada' } } }, '/client/profiles');
      await s.close();
      s = await startServer({ port: 0, dataDir: dir });
      await send(event('Kept', { unique_id: 'k1' }));
      const events = await (await fetch(s.url + '/__inspect/events')).json();
      expect(events.map((e: any) => [e.metric, e.duplicate])).toEqual([
        ['Kept', false],
        ['Kept', true],
      ]);
      const [profile] = await (await fetch(s.url + '/__inspect/profiles')).json();
      expect(profile.attributes).toMatchObject({ email: 'a@example.com', first_name: 'Ada' });
      expect((await (await fetch(s.url + '/__inspect/requests')).json()).length).toBe(3);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
