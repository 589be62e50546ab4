import { describe, expect, it } from 'vitest';
import { type Held, overCap, releasable } from '../src/queue-bounds';
import type { Item } from '../src/types';

const event = (profile = true): Item => ({
  _kind: 'e',
  _metric: 'M',
  _attributes: {},
  _client: 'c',
  _accepted: 1,
  ...(profile ? { _profile: { email: 'a@b.co' } } : {}),
});
const update: Item = { _kind: 'p', _attributes: { email: 'a@b.co' }, _client: 'c', _accepted: 1 };
const held = (list: [string, Item | 0][]): Held => new Map(list);

describe('overCap', () => {
  it('names nothing at or under the cap', () => {
    expect(
      overCap(
        held([
          ['1', event()],
          ['2', event()],
        ]),
        2,
      ),
    ).toEqual([]);
  });

  it('names the oldest events by key, whatever order the map holds them in, and never a profile update', () => {
    const items = held([
      ['3', event()],
      ['0', update],
      ['2', 0],
      ['1', event(false)],
      ['4', event()],
    ]);
    expect(overCap(items, 2)).toEqual(['1', '2', '3']);
  });
});

describe('releasable', () => {
  it("lets go of identified events beyond this page's newest `hold` bytes", () => {
    const items = held([
      ['1', event()],
      ['2', event()],
      ['3', event()],
      ['4', event()],
    ]);
    const sizes = new Map([
      ['1', 40],
      ['2', 40],
      ['3', 40],
      ['4', 40],
    ]);
    expect(releasable(items, sizes, new Map(), 100)).toEqual(['2', '1']);
  });

  it('keeps anonymous events, profile updates, unsaved calls and values already let go of', () => {
    const items = held([
      ['1', event(false)],
      ['2', update],
      ['3', event()],
      ['4', 0],
    ]);
    expect(releasable(items, new Map(), new Map([['3', event()]]), 0)).toEqual([]);
  });

  it("lets go at once of events without a size (other tabs' calls, or read back for a pass)", () => {
    const items = held([
      ['1', event()],
      ['2', event()],
    ]);
    expect(releasable(items, new Map([['2', 10]]), new Map(), 100)).toEqual(['1']);
  });
});
