import type { Properties } from './types';
import { warn } from './warn';

/**
 * A JSON-safe copy of what a merchant passed, made off the caller's stack. JSON's own rules
 * apply (toJSON, so Dates become ISO strings; functions, symbols and undefined dropped;
 * NaN/Infinity → null); BigInt becomes a string; a circular reference or a level past the 10
 * Klaviyo accepts is dropped with a warning instead of failing the call. Something that cannot be
 * read at all (a throwing getter, a revoked Proxy) gives `{}` and a warning.
 */
export function clean(value: unknown): Properties {
  const parents: unknown[] = [];
  try {
    return JSON.parse(
      JSON.stringify(value, function (this: unknown, _key, v) {
        // `this` is the object holding v: unwind the parents to it, so they are v's ancestors.
        while (parents.length && parents[parents.length - 1] !== this) parents.pop();
        if (typeof v == 'bigint') return '' + v;
        if (v && typeof v == 'object') {
          if (parents.includes(v) || parents.length > 10) return warn('circular or deep value dropped.');
          parents.push(v);
        }
        return v;
      }) || '{}',
    );
  } catch (e) {
    warn('unreadable properties: ' + e);
    return {};
  }
}
