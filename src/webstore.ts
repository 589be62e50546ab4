import { guard } from './guard';
const area = (session?: boolean) => (session ? sessionStorage : localStorage);

/** The cart auto-capture saw (capture/cart.ts); the core's reset() forgets it. */
export const CART_KEY = 'klite:cart';

/**
 * JSON in localStorage or sessionStorage. Both can be missing or throw (sandboxed iframes,
 * disabled cookies, quota): then nothing is kept and nothing is thrown.
 */
export function load<T>(key: string, session?: boolean): T | undefined {
  // An absent key's null parses as null (JSON.parse reads it as the text "null").
  return guard(() => JSON.parse(area(session).getItem(key)!) ?? undefined);
}

/** Stores `value` as JSON; no value (undefined) removes the key. */
export function save(key: string, value?: unknown, session?: boolean): void {
  guard(() => {
    if (value === undefined) area(session).removeItem(key);
    else area(session).setItem(key, JSON.stringify(value));
  });
}
