import { describe, expect, it } from 'vitest';
import { drainOrder, queued } from '../src/drain';

describe('drainOrder', () => {
  it('replays account, cookieDomain and identify first, then the rest in call order', () => {
    const fn = () => {};
    const entries = [
      ['track', 'A'],
      fn,
      ['identify', { email: 'e' }],
      ['track', 'B'],
      ['account', 'AbC123'],
      ['cookieDomain', '.shop.example'],
      ['trackViewedItem', {}],
    ];
    expect(drainOrder(entries)).toEqual([
      ['identify', { email: 'e' }],
      ['account', 'AbC123'],
      ['cookieDomain', '.shop.example'],
      ['track', 'A'],
      fn,
      ['track', 'B'],
      ['trackViewedItem', {}],
    ]);
  });
  it('drains only real arrays', () => {
    expect(queued([undefined, { push() {} }])).toEqual([]);
    const q = [['track', 'X']];
    const fn = () => {};
    const all = queued([q, { push() {} }, [fn, ['track', 'Y']]]);
    expect(all).toEqual([['track', 'X'], fn, ['track', 'Y']]);
    expect(all).not.toBe(q);
  });
});
