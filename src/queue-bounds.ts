import type { Item } from './types';

/**
 * At most this many calls are kept per origin. Past it the oldest events are dropped, with a
 * warning; profile updates (identify) are never dropped to make room for events.
 */
export const MAX_ITEMS = 1e4;
/**
 * JSON bytes of this page's newest events whose values stay in memory, about what a closing page
 * can send with keepalive. Other events already in IndexedDB are held as keys only and read back
 * when a delivery pass needs them: 1,000 queued events held whole took 350 KB of heap.
 */
export const HOLD = 6e4;

/** The queue's memory copy: every call by key; 0 when its value is in IndexedDB only. */
export type Held = Map<string, Item | 0>;

/** Keys sort in call order (milliseconds, then a counter; see queue.ts). */
export const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : 1);

/** The keys of the oldest events beyond `max` calls: what the cap drops. */
export function overCap(items: Held, max: number): string[] {
  const over = items.size - max;
  if (over <= 0) return [];
  // A value let go of (0) is always an event's: only events are let go of.
  return [...items]
    .filter(([, item]) => !item || item._kind == 'e')
    .sort(byKey)
    .slice(0, over)
    .map(([key]) => key);
}

/**
 * The keys whose values the memory copy can let go of: events bound to a profile and safe in
 * IndexedDB, except this page's newest (`room` bytes of them, by the JSON sizes in `sizes`).
 * Anonymous calls and profile updates stay whole, for claiming and the cap.
 */
export const releasable = (items: Held, sizes: Map<string, number>, unsaved: Map<string, Item>, room = HOLD): string[] =>
  [...items]
    .reverse()
    .filter(([key, item]) => {
      // Calls without a size are other tabs' or were read back: held for a pass only.
      const size = sizes.get(key);
      return item && item._kind == 'e' && item._profile && !unsaved.has(key) && (!size || (room -= size) < 0);
    })
    .map(([key]) => key);
