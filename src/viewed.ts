import type { Properties } from './types';

/** klaviyo.js keeps 20 recently viewed items and starts afresh after 30 idle days. */
export const MAX_VIEWED = 20;
export const VIEWED_IDLE = 30 * 864e5;

export interface Viewed extends Properties {
  /** Times viewed. */
  views: number;
  /** Last viewed, seconds since epoch. */
  last_viewed_date: number;
}

/** The recently viewed list after viewing `item`: newest first, one entry per ItemId (or Title). */
export function addViewed(list: Viewed[] | undefined, item: Properties, now: number): Viewed[] {
  const id = (i: Properties) => String(i.ItemId ?? i.Title);
  const sec = Math.floor(now / 1000);
  if (!Array.isArray(list) || sec - list[0]?.last_viewed_date > VIEWED_IDLE / 1000) list = [];
  const old = list.find((i) => id(i) === id(item));
  const entry: Viewed = { ...item, views: old ? old.views + 1 : 1, last_viewed_date: sec };
  return [entry, ...list.filter((i) => i !== old)].slice(0, MAX_VIEWED);
}
