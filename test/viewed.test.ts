import { describe, expect, it } from 'vitest';
import { MAX_VIEWED, VIEWED_IDLE, addViewed } from '../src/viewed';

describe('addViewed', () => {
  const now = Date.UTC(2026, 0, 1);
  it('puts the newest first, counts views, keeps one entry per item', () => {
    let list = addViewed(undefined, { ItemId: 1, Title: 'A' }, now);
    list = addViewed(list, { ItemId: 2, Title: 'B' }, now + 1000);
    list = addViewed(list, { ItemId: 1, Title: 'A' }, now + 2000);
    expect(list.map((i) => [i.ItemId, i.views])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(list[0].last_viewed_date).toBe(now / 1000 + 2);
  });
  it(`keeps ${MAX_VIEWED} items and starts afresh after 30 idle days`, () => {
    let list = addViewed(undefined, { ItemId: 0 }, now);
    for (let i = 1; i < 30; i++) list = addViewed(list, { ItemId: i }, now);
    expect(list).toHaveLength(MAX_VIEWED);
    expect(addViewed(list, { ItemId: 'x' }, now + VIEWED_IDLE + 2000)).toHaveLength(1);
  });
});
