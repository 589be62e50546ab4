import { describe, expect, it } from 'vitest';
import { clean } from '../src/clean';

describe('clean', () => {
  it('follows JSON rules and never throws', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const shared = { x: 1 };
    expect(
      clean({
        circular,
        shared1: shared,
        shared2: shared,
        big: 5n,
        fn() {},
        sym: Symbol('s'),
        d: new Date(0),
        n: NaN,
        u: undefined,
        arr: [1, undefined, () => 1],
      }),
    ).toEqual({
      circular: { a: 1 },
      shared1: { x: 1 },
      shared2: { x: 1 },
      big: '5',
      d: '1970-01-01T00:00:00.000Z',
      n: null,
      arr: [1, null, null],
    });
  });
  it('cuts what is nested deeper than Klaviyo accepts', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 15; i++) deep = { deep };
    const out = JSON.stringify(clean(deep));
    expect(out).not.toContain('leaf');
    expect((out.match(/deep/g) || []).length).toBeLessThanOrEqual(11);
  });
  it('drops only what cannot be read; not an object gives {}', () => {
    const trap = () => {
      throw new Error('no');
    };
    expect(clean(Object.defineProperty({ ok: 1 }, 'x', { enumerable: true, get: trap }))).toEqual({ ok: 1 });
    expect(clean({ ok: 1, proxy: new Proxy({}, { ownKeys: trap }) })).toEqual({ ok: 1 });
    expect(clean(new Proxy({}, { ownKeys: trap }))).toEqual({});
    for (const v of [undefined, null, 'text', 42, [1, 2], new Date(0), () => 1]) expect(clean(v)).toEqual({});
  });
  it("cuts strings, arrays, keys and the whole call to Klaviyo's limits", () => {
    const bytes = (s: string) => Buffer.byteLength(s);
    const many = Object.fromEntries(Array.from({ length: 10000 }, (_, i) => ['p' + i, i]));
    const out = clean({
      ascii: 'x'.repeat(200000),
      euro: '€'.repeat(50000),
      emoji: '😀'.repeat(40000),
      short: 'é'.repeat(30000),
      list: Array(9000).fill(1),
    });
    expect(bytes(out.ascii as string)).toBe(102400);
    expect(bytes(out.euro as string)).toBeLessThanOrEqual(102400);
    expect(bytes(out.euro as string)).toBeGreaterThan(102397);
    // Never half a surrogate pair.
    expect(out.emoji as string).toBe('😀'.repeat(25600));
    expect(out.short).toHaveLength(30000);
    expect(out.list).toHaveLength(4000);
    expect(Object.keys(clean(many))).toHaveLength(298);
    const huge = clean(Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['s' + i, 'y'.repeat(100000)])));
    expect(JSON.stringify(huge).length).toBeLessThan(1e6);
    expect(Object.keys(huge).length).toBeGreaterThanOrEqual(9);
    // Numbers count too: 298 × 4,000 of them would be a 5 MB call.
    const numbers = Array.from({ length: 4000 }, (_, i) => i * 1001);
    const wide = clean(Object.fromEntries(Array.from({ length: 298 }, (_, i) => ['n' + i, numbers])));
    expect(JSON.stringify(wide).length).toBeLessThan(1e6);
  });
});
