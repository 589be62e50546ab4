import { describe, expect, it, vi } from 'vitest';
import type { Visitor } from '../src/identity';
import { ANONYMOUS_TTL, MAX_EVENTS, TTL, plan, prepare, type Entry } from '../src/requests';
import type { Item } from '../src/types';
import { conformance } from './openapi.mjs';

const now = Date.UTC(2026, 10, 23);
let n = 0;
const event = (m: string, p?: Item['_profile'], extra: Partial<Item> = {}, props: object = {}): Entry => {
  const uid = 'u' + n++;
  return [
    String(n).padStart(6, '0'),
    {
      _kind: 'e',
      _metric: m,
      _attributes: { properties: props, time: '2026-11-23T00:00:00.000Z', unique_id: uid },
      _profile: p,
      _client: 'cid1',
      _accepted: now,
      ...extra,
    },
  ];
};
const profile = (a: object, p?: Item['_profile'], x?: object): Entry => [
  String(n++).padStart(6, '0'),
  { _kind: 'p', _attributes: a as Item['_attributes'], _meta: x as Item['_meta'], _profile: p, _client: 'cid1', _accepted: now },
];
const anonymous: Visitor = { _cid: 'cid1', _ids: {} };
const sarah = { email: 'sarah@example.com' };

const bodies = (entries: Entry[], visitor = anonymous, maxBytes?: number) =>
  plan(entries, visitor, now, maxBytes)[0].map((g) =>
    g.map((r) => {
      expect(conformance(r[0], r[1])).toBeNull();
      return { path: r[0], body: JSON.parse(r[1]), n: r[2].length };
    }),
  );

describe('plan', () => {
  it('sends one event to /client/events and several to one bulk request, profile updates first', () => {
    const [[p, single]] = bodies([profile({ first_name: 'S' }, sarah), event('A', sarah)]);
    expect(p.path).toBe('/client/profiles');
    expect(p.body.data.attributes).toEqual({ first_name: 'S', email: 'sarah@example.com' });
    expect(single.path).toBe('/client/events');
    expect(single.body.data.attributes.profile.data.attributes).toEqual(sarah);
    expect(single.body.data.attributes.metric.data.attributes.name).toBe('A');

    const [[bulk]] = bodies([event('A', sarah), event('B', sarah), event('C', sarah)]);
    expect(bulk.path).toBe('/client/event-bulk-create');
    expect(bulk.body.data.attributes.events.data.map((e: any) => e.attributes.metric.data.attributes.name)).toEqual(['A', 'B', 'C']);
  });

  it('keeps profiles apart: one group per set of identifiers', () => {
    const groups = bodies([event('A', sarah), event('B', { email: 'tom@example.com' }), event('C', sarah)]);
    expect(groups.map((g) => g.map((r) => r.n))).toEqual([[2], [1]]);
  });

  it('holds anonymous calls until the visitor is identified, then attaches them; drops them after the TTL', () => {
    const entries = [event('Anon'), profile({ first_name: 'Anon' })];
    expect(plan(entries, anonymous, now)[0]).toEqual([]);
    const known: Visitor = { _cid: 'cid1', _ids: sarah };
    const [[p, e]] = bodies(entries, known);
    expect(p.body.data.attributes).toEqual({ first_name: 'Anon', email: 'sarah@example.com' });
    expect(e.body.data.attributes.profile.data.attributes).toEqual(sarah);
    // Another visitor's (another cid's) anonymous calls are not this person's.
    expect(plan([event('Other', undefined, { _client: 'cid2' })], known, now)[0]).toEqual([]);
    const old = event('Old', undefined, { _accepted: now - ANONYMOUS_TTL - 1 });
    expect(plan([old], anonymous, now)[1]).toEqual([old]);
  });

  it("drops an identified visitor's call only after the TTL (a month of failed delivery)", () => {
    const recent = event('Recent', sarah, { _accepted: now - ANONYMOUS_TTL - 1 });
    const stale = event('Stale', sarah, { _accepted: now - TTL - 1 });
    const [_groups, _expired] = plan([recent, stale], anonymous, now);
    expect(_expired).toEqual([stale]);
    expect(_groups[0][0][2]).toEqual([recent]);
  });

  it(`cuts bulk requests at ${MAX_EVENTS} events and at the byte limit`, () => {
    const many = Array.from({ length: MAX_EVENTS + 5 }, () => event('Many', sarah));
    expect(plan(many, anonymous, now)[0][0].map((r) => r[2].length)).toEqual([MAX_EVENTS, 5]);
    const big = Array.from({ length: 10 }, () => event('Big', sarah, {}, { text: 'x'.repeat(10_000) }));
    const requests = plan(big, anonymous, now, 30_000)[0][0];
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.every((r) => r[3] <= 30_000)).toBe(true);
    expect(requests.flatMap((r) => r[2])).toEqual(big);
  });

  it("counts each request's bytes as its body's UTF-8 length, without counting the body again", () => {
    const entries = [profile({ first_name: 'Zoë' }, sarah), event('Café ☕', sarah, {}, { note: 'naïve ✓' }), event('Plain', sarah)];
    const one = [event('Solo', { email: 'solo@example.com' }, {}, { note: 'é' })];
    for (const g of plan(entries.concat(one), anonymous, now)[0]) for (const r of g) expect(r[3]).toBe(Buffer.byteLength(r[1]));
  });

  it("makes the events' JSON ahead of plan a few per task, and plan does not make it again", async () => {
    let made = 0;
    // A value whose JSON takes 3 ms to make, by the clock prepare reads: 30 of them would be one 90 ms task.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const slow = {
      toJSON: () => {
        made++;
        clock += 3;
        return 's';
      },
    };
    const entries = Array.from({ length: 30 }, () => event('Slow', sarah, {}, { slow }));
    const done = prepare(entries);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(10); // the first task stopped after about 8 ms
    const parts = await done;
    expect(made).toBe(30);
    const [request] = plan(entries, anonymous, now, undefined, parts)[0][0];
    expect(made).toBe(30);
    expect(JSON.parse(request[1]).data.attributes.events.data).toHaveLength(30);
    vi.restoreAllMocks();
  });

  it('never puts one metric and unique_id twice in a bulk request', () => {
    const a = event('Dup', sarah);
    const b = event('Dup', sarah);
    b[1]._attributes.unique_id = a[1]._attributes.unique_id;
    const c = event('Other', sarah);
    c[1]._attributes.unique_id = a[1]._attributes.unique_id;
    const requests = plan([a, b, c], anonymous, now)[0][0];
    expect(requests.map((r) => r[2].map((e) => e[1]._metric))).toEqual([['Dup'], ['Dup', 'Other']]);
  });

  it('sends patch operations as profile meta, and a value as the event value', () => {
    const [[p]] = bodies([profile({}, sarah, { patch_properties: { append: { skus: '1' } } })]);
    expect(p.body.data.meta).toEqual({ patch_properties: { append: { skus: '1' } } });
    const e = event('Paid', sarah);
    e[1]._attributes.value = 9.5;
    const [[single]] = bodies([e]);
    expect(single.body.data.attributes.value).toBe(9.5);
  });
});

describe('bytes', () => {
  it('counts UTF-8 bytes, erring large only for surrogate pairs', async () => {
    const { bytes } = await import('../src/requests');
    const utf8 = (s: string) => Buffer.byteLength(s);
    for (const s of ['', 'plain ascii', 'café', 'ñandú €100', '日本語テキスト']) expect(bytes(s)).toBe(utf8(s));
    expect(bytes('😀')).toBeGreaterThanOrEqual(utf8('😀'));
  });
});
