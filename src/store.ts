import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Entry } from './requests';
import { warn } from './warn';

/** klite's own database; idb-keyval cannot add a store to an existing database, so the name is versioned. Values are items as JSON text. */
export const DB_NAME = 'klite-v1';

export interface Store {
  /** Resolves true once written, false when IndexedDB failed. */
  /** Values are stored as JSON text; a string is taken as that text already. */
  _put(entries: [string, unknown][]): Promise<boolean>;
  /** Every stored key, or undefined when IndexedDB failed. */
  _keys(): Promise<string[] | undefined>;
  /** The calls stored under these keys (those still there). */
  _get(keys: string[]): Promise<Entry[]>;
  _del(keys: string[]): Promise<boolean>;
  /** Removes every call, other tabs' too. */
  _clear(): Promise<boolean>;
}

/**
 * Issues `op` for each of `list`, a hundred per task: 1,000 puts, gets or deletes at once made a task of
 * 10–50 ms. The next hundred are issued from the last one's success event, while the transaction
 * is still active, so it all stays one transaction.
 */
const chain = <T>(list: T[], op: (x: T) => IDBRequest) => {
  const requests: IDBRequest[] = [];
  let i = 0;
  const next = () => {
    for (let end = i + 100, r; i < list.length && i < end; ) {
      r = requests[i] = op(list[i]);
      if (++i == end && i < list.length) r.onsuccess = next;
    }
  };
  next();
  return requests;
};

/**
 * The durable half of the queue: one IndexedDB transaction per call, through idb-keyval's
 * store (its `entries()` carries a cursor fallback no evergreen browser needs, so reads use
 * getAllKeys, and values are read only for keys a tab does not hold yet). When IndexedDB is missing or fails (private modes, blocked, quota, site data
 * cleared), it says so once and stops; the queue keeps what it has in memory. Never rejects.
 */
export function openStore(): Store {
  let db: UseStore | 0 = 0;
  const run = async (mode: IDBTransactionMode, op: (s: IDBObjectStore) => unknown): Promise<boolean> => {
    try {
      if (db) return await db(mode, (s) => (op(s), promisifyRequest(s.transaction))), true;
    } catch {
      db = 0;
      warn('IndexedDB unavailable; using memory.');
    }
    return false;
  };
  try {
    db = createStore(DB_NAME, 'queue');
  } catch {}
  return {
    // Items are stored as JSON text: IndexedDB clones a string far faster than an object graph
    // (1,000 events: about 40 ms as objects, a long task with the building around it).
    _put: (list) => run('readwrite', (s) => chain(list, ([k, v]) => s.put(typeof v == 'string' ? v : JSON.stringify(v), k))),
    _keys: () => {
      let keys: IDBRequest;
      return run('readonly', (s) => (keys = s.getAllKeys())).then((ok) => (ok ? keys.result : undefined));
    },
    _get: (keys) => {
      let got: IDBRequest[];
      return run('readonly', (s) => (got = chain(keys, (k) => s.get(k)))).then((ok) =>
        ok ? keys.flatMap((k, i): Entry[] => (got[i].result ? [[k, JSON.parse(got[i].result)]] : [])) : [],
      );
    },
    _del: (keys) => run('readwrite', (s) => chain(keys, (k) => s.delete(k))),
    _clear: () => run('readwrite', (s) => s.clear()),
  };
}
