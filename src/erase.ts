import { guard } from './guard';
import { writeCookie } from './cookie';
import { DB_NAME } from './store';

/**
 * Erases what klite keeps in this browser: cookie, storage keys, and the IndexedDB database
 * unless this page has it open (its tracker then clears the store, and keeps its connection).
 */
export function eraseStorage(domain?: string, open?: boolean): void {
  writeCookie('', domain);
  writeCookie('');
  // Each access may throw where storage is blocked (even naming localStorage does).
  guard(() => {
    for (const area of [localStorage, sessionStorage]) for (const k of Object.keys(area)) if (k.startsWith('klite:')) area.removeItem(k);
  });
  if (!open) guard(() => indexedDB.deleteDatabase(DB_NAME));
}
