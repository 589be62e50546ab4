import { randomId } from './ids';
import type { Entry } from './requests';
import type { Store } from './store';
import type { Item } from './types';
import { warn } from './warn';

/**
 * The write-ahead queue. Calls arrive as functions that build their stored item, so the caller's
 * stack does no copying and no storage work; everything added in one task is built and written
 * in one IndexedDB transaction on the next task. `_entries()` is the memory copy of everything
 * queued (written here, or left by earlier pages), which lets a page being hidden send at once.
 */
export function createQueue(store: Store, written: () => void) {
  const items = new Map<string, Item>();
  // What earlier pages left comes first; writes (and so the flushes they start) wait for it.
  const loaded = store._all().then((list) => list.forEach(([k, v]) => items.set(k, v)));
  let pending: (() => Item)[] = [];
  let seq = 0;

  /** Keys sort in call order (milliseconds and a counter, 10 base-36 digits until the year 5000), then random so tabs never collide. */
  const key = () => (Date.now() * 1e3 + (seq++ % 1e3)).toString(36) + randomId().slice(0, 8);

  /** Builds what was added since the last write, in order; a call that cannot be built is dropped with a warning. */
  const take = (): Entry[] => {
    const list: Entry[] = [];
    pending.splice(0).forEach((make) => {
      try {
        list.push([key(), make()]);
      } catch {
        warn('unreadable call dropped.');
      }
    });
    return list;
  };

  const write = async () => {
    await loaded;
    const list = take();
    if (!list.length) return;
    await store._put(list);
    list.forEach(([k, v]) => items.set(k, v));
    written();
  };

  return {
    _add(make: () => Item): void {
      if (pending.push(make) == 1) setTimeout(write);
    },
    /** Writes now and counts it queued before the write completes: the page is being hidden. */
    _writeNow(): void {
      const list = take();
      list.forEach(([k, v]) => items.set(k, v));
      if (list.length) store._put(list);
    },
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
