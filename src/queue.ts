import { randomId } from './ids';
import type { Entry } from './requests';
import type { Store } from './store';
import type { Ids, Item } from './types';
import { warn } from './warn';

/**
 * The write-ahead queue. Calls arrive as functions that build their stored item, so the caller's
 * stack does no copying and no storage work; everything added in one task is built and written
 * in one IndexedDB transaction on the next task. `_entries()` is the memory copy of everything
 * queued (written here, or left by earlier pages), which lets a page being hidden send at once.
 */
export type Meta = Pick<Item, 'k' | 'p' | 'c' | 's'>;

export function createQueue(store: Store, written: () => void) {
  const items = new Map<string, Item>();
  // What earlier pages left comes first; writes (and so the flushes they start) wait for it.
  const loaded = store._all().then((list) => list.forEach(([k, v]) => items.set(k, v)));
  let pending: [Meta, () => Pick<Item, 'a' | 'm' | 'x'>][] = [];
  let seq = 0;

  /** Keys sort in call order (milliseconds and a counter, 10 base-36 digits until the year 5000), then random so tabs never collide. */
  const key = () => (Date.now() * 1e3 + (seq++ % 1e3)).toString(36) + randomId().slice(0, 8);

  /** Builds what was added since the last write, in order; a call that cannot be built is dropped with a warning. */
  const take = (): Entry[] => {
    const list: Entry[] = [];
    pending.splice(0).forEach(([meta, build]) => {
      try {
        list.push([key(), { ...build(), ...meta }]);
      } catch {
        warn('unreadable call dropped.');
      }
    });
    return list;
  };

  /**
   * Builds and stores what was added, then makes it sendable. `hidden`: the page is going away,
   * so it is sendable at once, while the write is still under way.
   */
  const write = async (hidden?: unknown) => {
    if (!hidden) await loaded;
    const list = take();
    if (!list[0]) return;
    const put = store._put(list);
    if (!hidden) await put;
    list.forEach(([k, v]) => items.set(k, v));
    written();
  };

  return {
    /** Queues a call: `meta` says who and when, `build` makes its attributes on the next task. */
    _add(meta: Meta, build: () => Pick<Item, 'a' | 'm' | 'x'>): void {
      if (pending.push([meta, build]) == 1) setTimeout(write);
    },
    /**
     * The visitor `cid` was identified as `ids`: their anonymous calls are theirs, bound now so a
     * later identify (another person on this browser) cannot take them.
     */
    _claim(ids: Ids, cid: string): void {
      const bound: Entry[] = [];
      pending.forEach(([meta]) => meta.p || meta.c != cid || (meta.p = ids));
      items.forEach((item, k) => item.p || item.c != cid || bound.push([k, { ...item, p: ids }]));
      bound.forEach(([k, v]) => items.set(k, v));
      if (bound[0]) store._put(bound);
    },
    _writeNow: () => write(1),
    _loaded: loaded,
    _entries(): Entry[] {
      return [...items].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    },
    /** Removes calls that were delivered or can never be. */
    _del(keys: string[]): Promise<unknown> {
      keys.forEach((k) => items.delete(k));
      return store._del(keys);
    },
    _size: () => items.size + pending.length,
  };
}

export type Queue = ReturnType<typeof createQueue>;
