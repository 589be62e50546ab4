import { guard } from './guard';
import type { Entry, Item } from './types';
import { load, save } from './webstore';

// The localStorage copy of a page's calls not known to be in IndexedDB. A closing page may never
// finish an IndexedDB write it started, and IndexedDB may fail, so those calls are also written
// here, synchronously; the next page view takes them back.

/** localStorage keys of rescued calls: this prefix and the id of the page that made them. */
const PREFIX = 'klite:unsaved:';

/** Makes page `page`'s copy `unsaved` (none when it is empty). */
export function saveRescue(page: string, unsaved: Map<string, Item>): void {
  save(PREFIX + page, unsaved.size ? [...unsaved] : undefined);
}

/**
 * Hands what other pages than `page` rescued to `take`, which makes it this page's, and only then
 * removes their copies: a page stopped in between leaves a call twice (sent at least once), never none.
 */
export function adoptRescues(page: string, take: (entries: Entry[]) => void): void {
  const keys = guard(() => Object.keys(localStorage).filter((key) => key.startsWith(PREFIX) && key != PREFIX + page)) || [];
  const entries = keys.flatMap((key) => load<Entry[]>(key) || []);
  if (entries[0]) take(entries);
  for (const key of keys) save(key);
}
