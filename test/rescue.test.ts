import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptRescues, saveRescue } from '../src/rescue';
import type { Entry, Item } from '../src/types';
import { fakeStorage } from './fake-storage';

const item = (metric: string): Item => ({ _kind: 'e', _metric: metric, _attributes: {}, _client: 'c', _accepted: 1 });

afterEach(() => vi.unstubAllGlobals());

describe('rescue', () => {
  it("keeps a page's unsaved calls under its own key, and removes the key when there are none", () => {
    const storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
    saveRescue('page1', new Map([['k1', item('a')]]));
    expect(JSON.parse(storage['klite:unsaved:page1'])).toEqual([['k1', item('a')]]);
    saveRescue('page1', new Map());
    expect(Object.keys(storage)).toEqual([]);
  });

  it("adopts other pages' rescues, its own left alone, and removes theirs only after taking them", () => {
    const storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
    saveRescue('gone1', new Map([['k1', item('a')]]));
    saveRescue('gone2', new Map([['k2', item('b')]]));
    saveRescue('here', new Map([['k3', item('c')]]));
    const seen: string[][] = [];
    adoptRescues('here', (entries: Entry[]) => {
      seen.push(entries.map(([k]) => k).sort());
      // Still there while the taker makes them its own.
      expect(Object.keys(storage).sort()).toEqual(['klite:unsaved:gone1', 'klite:unsaved:gone2', 'klite:unsaved:here']);
    });
    expect(seen).toEqual([['k1', 'k2']]);
    expect(Object.keys(storage)).toEqual(['klite:unsaved:here']);
  });

  it('takes nothing, and throws nothing, where localStorage is missing or throws', () => {
    vi.stubGlobal('localStorage', undefined);
    const take = vi.fn();
    adoptRescues('p', take);
    saveRescue('p', new Map([['k', item('a')]]));
    expect(take).not.toHaveBeenCalled();
  });
});
