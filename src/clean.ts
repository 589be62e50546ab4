import type { Properties } from './types';
import { warn } from './warn';

/** Klaviyo's limits: 100 KB a string, 4,000 array items, 10 levels; 300 event properties, of which klite adds two. */
const STRING_BYTES = 102400;
const ITEMS = 4000;
const DEPTH = 10;
const KEYS = 298;
/** What one call may carry in all (about, in characters of JSON), far below the 5 MB a request may. */
const ROOM = 1e6;

/** One warning per kind of cut. */
const cut = (what: string) => warn(what + ' cut.');

/**
 * A JSON-safe copy of what a merchant passed, cut to what Klaviyo accepts. JSON's own rules apply
 * (toJSON, so Dates become ISO strings; functions, symbols and undefined dropped; NaN/Infinity →
 * null); BigInt becomes a string. Each value is copied on its own, so one that cannot be read (a
 * throwing getter, a revoked Proxy), a circular reference or a level past the tenth drops only
 * itself. Strings past 100 KB, arrays past 4,000 items, objects past 298 keys and whatever takes
 * the call past 1 MB are cut. Each kind of cut is warned about once. Not an object → `{}`.
 */
export function clean(value: unknown): Properties {
  let room = ROOM;
  /** `parents`: the objects `holder[key]` is inside of, outermost first. */
  const copy = (holder: any, key: string | number, parents: unknown[]): unknown => {
    try {
      // Every value costs its JSON's worth (about 8 characters, a string its length more).
      if ((room -= 8) < 0) return cut('call over 1 MB');
      let v = holder[key];
      if (typeof v?.toJSON == 'function') v = v.toJSON();
      if (typeof v == 'bigint') v = '' + v;
      if (typeof v == 'number') return isFinite(v) ? v : null;
      if (typeof v == 'string') {
        // Only a long string can be over 100 KB (at most 3 bytes a UTF-16 unit); cut at a character boundary.
        // (An encoder per such string: they are rare, and an encoder costs next to nothing.)
        if (v.length > STRING_BYTES / 3) {
          const read = new TextEncoder().encodeInto(v, new Uint8Array(STRING_BYTES)).read!;
          if (read < v.length) {
            cut('string over 100 KB');
            v = v.slice(0, read);
          }
        }
        return (room -= v.length) < 0 ? cut('call over 1 MB') : v;
      }
      if (typeof v == 'boolean' || v === null) return v;
      if (typeof v != 'object') return;
      if (parents.includes(v) || parents.length == DEPTH) return warn('circular or deep value dropped.');
      // A new list for the values inside: nothing to undo when one of them throws.
      const inside = [...parents, v];
      if (Array.isArray(v)) {
        if (v.length > ITEMS) cut('array over 4000 items');
        return v.slice(0, ITEMS).map((_: unknown, i: number, a: unknown[]) => copy(a, i, inside) ?? null);
      }
      const out: Properties = {};
      const keys = Object.keys(v);
      if (keys.length > KEYS) cut('object over 298 keys');
      for (const k of keys.slice(0, KEYS)) {
        const c = copy(v, k, inside);
        if (c !== undefined) out[k] = c;
        room -= k.length;
      }
      return out;
    } catch (e) {
      warn('unreadable value dropped: ' + e);
    }
  };
  const out = copy([value], 0, []);
  return out && typeof out == 'object' && !Array.isArray(out) ? (out as Properties) : {};
}
