import { randomId } from './ids';
import { byKey, type Held, MAX_ITEMS, overCap, releasable } from './queue-bounds';
import { adoptRescues, saveRescue } from './rescue';
import type { Store } from './store';
import { BUDGET, nextTask } from './tasks';
import type { Entry, Ids, Item } from './types';
import { warn } from './warn';

/** Who made a call and when; the rest of the item is built on the next task. */
export type Meta = Pick<Item, '_kind' | '_profile' | '_client' | '_accepted'>;
type Build = () => Pick<Item, '_attributes' | '_metric' | '_meta'>;

/**
 * A key the store always holds once klite wrote to it: a store without it was just created or
 * wiped (the visitor cleared site data), not emptied by a tab that delivered everything.
 */
const MARK = '~';
/** Calls built per task, at most (and no more than BUDGET ms of building). */
export const SLICE = 200;

/**
 * The write-ahead queue. Calls arrive as a meta and a function that builds the rest, so the
 * caller's stack does no copying and no storage work; everything added in one task is built and
 * written in one IndexedDB transaction on the next task. `_entries()` is the memory copy of
 * everything queued (written here, or left by earlier pages), which lets a hidden page send at once.
 *
 * IndexedDB may not finish a write that a closing page started, or may not work at all; so when
 * the page is hidden, the calls not known to be in IndexedDB are also copied, synchronously, to
 * localStorage (rescue.ts), and the next page view takes them back. The queue owns the memory
 * copy, because every step of a write changes it; what it may hold is queue-bounds.ts's policy.
 */
export function createQueue(store: Store, written: () => void, max = MAX_ITEMS) {
  /** Every queued call by key; 0: in IndexedDB only (see HOLD). */
  const items: Held = new Map();
  /** Calls built but not yet known to be in IndexedDB. */
  const unsaved = new Map<string, Item>();
  /** JSON sizes of this page's calls whose values are held, from the text made for the store. */
  const sizes = new Map<string, number>();
  // This page's id: the random part names its rescue and ends its keys (the time part would not tell tabs apart).
  const page = randomId().slice(0, 10);
  /** Whether this page keeps a localStorage copy of its unsaved calls (hidden once, or IndexedDB failed). */
  let rescuing = false;
  const pending: [Meta, Build][] = [];
  let seq = 0;
  /** Counts `_claim`s: a write that saw one made its JSON text before the claim, and remakes it. */
  let claims = 0;

  const keepRescue = () => rescuing && saveRescue(page, unsaved);
  /** The store lacks MARK: the next write adds it. */
  let unmarked = false;
  /** Stores `list`; `rows` are the same calls as JSON text when the caller has made it already. */
  const persist = (list: Entry[], rows: [string, unknown][] = list) =>
    store._put(unmarked ? [[MARK, {}], ...rows] : rows).then((ok) => {
      // Sendable before it stops being unsaved: a closing page's script may be stopped between
      // any two steps (see write), and each call must be in `pending`, `unsaved` or `items`.
      list.forEach((e) => items.set(...e));
      if (ok) {
        unmarked = false;
        list.forEach(([k]) => unsaved.delete(k));
      } else {
        // IndexedDB failed: the localStorage copy is what the next page view takes back.
        rescuing = true;
      }
      keepRescue();
    });

  /**
   * Makes the memory copy IndexedDB's, which every tab of the origin shares (what another tab
   * delivered is gone, what it added is there), plus the calls not known to be in IndexedDB, plus
   * what hidden pages rescued to localStorage, which are written to IndexedDB now.
   */
  const sync = async () => {
    const stored = await store._keys();
    if (stored) {
      // Only keys are read: a pass in a single tab reads no values at all.
      const there = new Set(stored);
      if (there.has(MARK)) items.forEach((_, k) => there.has(k) || unsaved.has(k) || items.delete(k));
      else {
        // Wiped (or new): what this page holds was not delivered, it lost its stored copy. Write it back.
        unmarked = true;
        items.forEach((v, k) => (v ? unsaved.set(k, v) : items.delete(k)));
        if (unsaved.size) persist([...unsaved]);
      }
      const missing = stored.filter((k) => k != MARK && !items.get(k));
      if (missing[0]) for (const e of await store._get(missing)) items.set(...e);
    }
    adoptRescues(page, (entries) => {
      for (const e of entries) {
        items.set(...e);
        unsaved.set(...e);
      }
      rescuing = true;
      keepRescue();
      persist(entries);
    });
  };
  // What earlier pages left comes first; writes (and so the flushes they start) wait for it.
  const loaded = sync();

  /** Keys sort in call order (milliseconds, then a counter), and end with this page's id so tabs never collide. */
  const key = () => Date.now().toString(36) + (seq++).toString(36).padStart(6, '0') + page;

  /**
   * Builds and stores what was added since the last write, then makes it sendable; a call that
   * cannot be built is dropped with a warning. `hidden`: the page is going away, so the calls are
   * rescued to localStorage and sendable at once, while the IndexedDB write is under way.
   */
  const write = async (hidden?: boolean) => {
    if (!hidden) await loaded;
    const claimed = claims;
    const list: Entry[] = [];
    const rows: [string, unknown][] = [];
    // Calls are built in slices of at most SLICE calls and BUDGET ms a task (all at once when
    // hidden), so that 1,000 calls made in one loop, or a few huge ones, never make a long task;
    // they still share one transaction. Each is turned into the JSON text IndexedDB stores in its
    // slice too: left to the write, 1,000 of them made one task of 50 ms.
    while (pending[0]) {
      const until = performance.now() + BUDGET;
      for (let n = 0; pending[0] && (hidden || (n++ < SLICE && performance.now() < until));) {
        const [meta, build] = pending[0];
        let entry: Entry | undefined;
        try {
          entry = [key(), { ...build(), ...meta }];
          // Known to this page from now on: a hidden page rescues and sends it even while this
          // write is still slicing or waiting for IndexedDB.
          unsaved.set(...entry);
        } catch {
          warn('unreadable call dropped.');
        }
        // Out of `pending` only once it is in `unsaved`: a closing page's script may be stopped
        // at any point (Firefox does, closing a tab on a loaded machine), and the next hide
        // event's pass must find each call in one or the other (in both, it goes twice: at least once).
        pending.shift();
        if (!entry) continue;
        list.push(entry);
        // A page may have broken JSON.stringify for a while: then the store tries (and falls back to memory).
        try {
          const text = JSON.stringify(entry[1]);
          rows.push([entry[0], text]);
          sizes.set(entry[0], text.length);
        } catch {
          rows.push(entry);
        }
      }
      if (pending[0] && !hidden) await nextTask();
    }
    if (hidden) {
      rescuing = true;
      keepRescue();
      // Everything built, by this write or by one still waiting for IndexedDB, is sendable now:
      // the page may not live to see those writes end. (IndexedDB runs transactions in order, so
      // a delivery's delete never comes before the write of what it deletes.)
      for (const e of unsaved) items.set(...e);
    }
    if (!list[0]) return;
    // (persist puts the calls in `items`; when hidden, they are there already.)
    const put = persist(list, claimed == claims ? rows : list);
    if (!hidden) await put;
    const oldest = overCap(items, max);
    if (oldest[0]) {
      warn('queue full (' + max + ' calls): oldest events dropped.');
      queue._del(oldest);
    }
    queue._trim();
    written();
  };

  const queue = {
    /** Queues a call: `meta` says who and when, `build` makes its attributes on the next task. */
    _add(meta: Meta, build: Build): void {
      // Not push()'s result: a page may have replaced Array.prototype.push with one that returns nothing.
      pending.push([meta, build]);
      if (!pending[1]) setTimeout(write);
    },
    /**
     * The visitor `cid` was identified as `ids`: their anonymous calls are theirs, bound now so a
     * later identify (another person on this browser) cannot take them.
     */
    _claim(ids: Ids, cid: string): void {
      const bound: Entry[] = [];
      /** Binds a call made anonymously by `cid` (answering its new ids), or leaves it alone. */
      const bind = (call: Meta | 0) => call && !call._profile && call._client == cid && (call._profile = ids);
      pending.forEach(([meta]) => bind(meta));
      // Bound in place: a call may be in both maps, and in a write's list, as one object.
      for (const map of [unsaved, items]) map.forEach((item, k) => bind(item) && bound.push([k, item as Item]));
      claims++;
      if (bound[0]) store._put(bound);
    },
    _writeNow: () => write(true),
    _loaded: loaded,
    _sync: sync,
    /** Whether this page made the call. */
    _own: (k: string) => k.endsWith(page),
    /** The calls whose values are in memory (after `_sync`, all of them), in call order. */
    _entries: () => ([...items].filter((e) => e[1]) as Entry[]).sort(byKey),
    /**
     * Lets go of the values of events bound to a profile and safe in IndexedDB, except this page's
     * newest (HOLD bytes of them); anonymous calls and profile updates stay, for `_claim` and the cap.
     */
    _trim(): void {
      for (const k of releasable(items, sizes, unsaved)) {
        items.set(k, 0);
        sizes.delete(k);
      }
    },
    /** Forgets every call, stored or not yet built (consent refused). */
    _clear(): void {
      pending.length = 0;
      unsaved.clear();
      items.clear();
      sizes.clear();
      store._clear();
    },
    /** Removes calls that were delivered or can never be. */
    _del(keys: string[]): Promise<unknown> {
      for (const k of keys) {
        items.delete(k);
        sizes.delete(k);
        unsaved.delete(k);
      }
      keepRescue();
      return store._del(keys);
    },
    _size: () => items.size + pending.length,
  };
  return queue;
}

export type Queue = ReturnType<typeof createQueue>;
