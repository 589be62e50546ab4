/** klaviyo.js replays these first, so later calls already know the account and the visitor. */
const FIRST = ['account', 'cookieDomain', 'identify'];

const first = (entry: unknown) => Array.isArray(entry) && FIRST.includes(entry[0]);

/**
 * The calls queued before klite loaded, in the order to replay them: `account`, `cookieDomain`
 * and `identify` entries first, then everything else in call order (function entries included).
 */
export function drainOrder(entries: unknown[]): unknown[] {
  return entries.filter(first).concat(entries.filter((e) => !first(e)));
}

/** The entries of a pre-load queue, or none: a queue must be a real array to be drained. */
export const queued = (q: unknown): unknown[] => (Array.isArray(q) ? q.slice() : []);
