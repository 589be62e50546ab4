import { DB_NAME } from '../store';
import type { Entry } from '../types';

/**
 * What klite's IndexedDB queue holds, read-only, on a connection of the debug view's own that it
 * closes at once (an open one would hold up klite deleting the database on a refusal). Never
 * creates the database: a database made here without klite's store would break klite's. [] when
 * there is none or it cannot be read.
 */
export const readQueue = (): Promise<Entry[]> =>
  new Promise((resolve) => {
    const none = () => resolve([]);
    try {
      const open = indexedDB.open(DB_NAME);
      open.onupgradeneeded = () => open.transaction!.abort();
      open.onerror = open.onblocked = none;
      open.onsuccess = () => {
        const db = open.result;
        db.onversionchange = () => db.close();
        try {
          const tx = db.transaction('queue', 'readonly');
          const keys = tx.objectStore('queue').getAllKeys();
          const values = tx.objectStore('queue').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(
              (keys.result as string[]).flatMap((k, i): Entry[] => {
                const item = JSON.parse(values.result[i]);
                return k != '~' && item && item._kind ? [[k, item]] : [];
              }),
            );
          };
          tx.onerror = tx.onabort = () => (db.close(), none());
        } catch {
          db.close();
          none();
        }
      };
    } catch {
      none();
    }
  });
