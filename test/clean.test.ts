import { describe, expect, it } from 'vitest';
import { clean } from '../src/clean';

describe('clean', () => {
  it('follows JSON rules and never throws', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const shared = { x: 1 };
    expect(clean({ circular, shared1: shared, shared2: shared, big: 5n, fn() {}, sym: Symbol('s'), d: new Date(0), n: NaN, u: undefined, arr: [1, undefined, () => 1] })).toEqual({
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
  it('gives {} for what cannot be read', () => {
    expect(clean(Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('no'); } }))).toEqual({});
  });
});
