/** klaviyo.js replays these first, so later calls already know the account and the visitor. */
const first = (entry: unknown) => Array.isArray(entry) && 'account cookieDomain identify'.split(' ').includes(entry[0]);

/**
 * The calls queued before klite loaded, in the order to replay them: `account`, `cookieDomain`
 * and `identify` entries first, then everything else in call order (function entries included).
 * Sorts `entries` in place (the caller's own copy of the queues).
 */
export function drainOrder(entries: unknown[]): unknown[] {
  // A stable sort (as every engine's has been since ES2019) keeps call order within each part.
  return entries.sort((a, b) => +first(b) - +first(a));
}

/** The entries of the pre-load queues, in a new list: a queue must be a real array to be drained (a stub object holds none). */
export const queued = (queues: unknown[]): unknown[] => queues.filter(Array.isArray).flat();
