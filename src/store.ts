import { promisifyRequest } from 'idb-keyval';
import type { Entry } from './types';
import { warn } from './warn';

/** klite's own database; idb-keyval cannot add a store to an existing database, so the name is versioned. Values are items as JSON text. */
export const DB_NAME = 'klite-v1';

export interface Store {
  /** Removes every call, other tabs' too. */
  _clear(): Promise<unknown>;
  /** Every stored key, or undefined when IndexedDB failed. */
  _keys(): Promise<string[] | undefined>;
  /** The calls stored under these keys (those still there). */
  _get(keys: string[]): Promise<Entry[]>;
  /** Settles once deleted (or IndexedDB failed). */
  _del(keys: string[]): Promise<unknown>;
  /** Resolves true once written, false when IndexedDB failed. */
  /** Values are stored as JSON text; a string is taken as that text already. */
  _put(entries: [string, unknown][]): Promise<boolean>;
}

/**
 * Issues `op` for each of `list`, a hundred per task: 1,000 puts, gets or deletes at once made a task of
 * 10–50 ms. The next hundred are issued from the last one's success event, while the transaction
 * is still active, so it all stays one transaction.
 */
const chain = <T>(list: T[], op: (x: T) => IDBRequest) => {
  const requests: IDBRequest[] = [];
  const next = (from: number) => {
    const issued = list.slice(from, (from += 100)).map(op);
    requests.push(...issued);
    if (from < list.length) issued[99].onsuccess = () => next(from);
  };
  next(0);
  return requests;
};

/**
 * How long a transaction may take once the connection is open (one of 1,000 calls takes tens of
 * ms): WebKit can leave one waiting for good behind a page frozen in its back/forward cache.
 */
export const STUCK = 5000;

/**
 * The durable half of the queue: one IndexedDB transaction per call, on klite's own connection
 * (reads use getAllKeys, and values are read only for keys a tab does not hold yet). A connection
 * that closes or fails (WebKit losing it, another tab deleting the database, site data cleared)
 * is opened again once and the transaction retried; when that fails too, or IndexedDB is missing
 * (private modes, blocked, quota), klite says so once and stops using it: the queue keeps what it
 * has in memory, with a copy in localStorage. Never rejects.
 */
export function openStore(): Store {
  let conn: Promise<IDBDatabase> | undefined;
  let off = false;
  const forget = () => (conn = undefined);
  /** Opens klite's database; closes it when another tab (or this one) deletes or upgrades it. */
  const connect = async () => {
    const req = indexedDB.open(DB_NAME);
    req.onupgradeneeded = () => req.result.createObjectStore('queue');
    const db = await promisifyRequest(req);
    // Holding on would block the deletion, and every later open here; the next use reopens.
    db.onversionchange = () => {
      db.close();
      forget();
    };
    // WebKit drops connections on its own ("Connection to Indexed Database server lost").
    db.onclose = forget;
    return db;
  };
  /** Runs `op` in a transaction; its result once the transaction completes, undefined when IndexedDB failed. */
  const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => T): Promise<T | undefined> => {
    for (let tries = 2; !off && tries--;)
      try {
        const tx = (await (conn ||= connect())).transaction('queue', mode);
        const result = op(tx.objectStore('queue'));
        // A transaction that never ends is given up after STUCK ms: WebKit keeps a page in its
        // back/forward cache with its transaction open, which holds every other page's (seen: a
        // return visit that never delivered anything).
        await Promise.race([promisifyRequest(tx), new Promise((_, stuck) => setTimeout(stuck, STUCK))]);
        return result;
      } catch {
        forget();
      }
    // (warn() says it once.)
    off = true;
    warn('IndexedDB unavailable; using memory and localStorage.');
  };
  return {
    _clear: () => run('readwrite', (s) => s.clear()),
    _keys: () => run('readonly', (s) => s.getAllKeys()).then((keys) => keys?.result as string[] | undefined),
    _get: (keys) =>
      run('readonly', (s) => chain(keys, (k) => s.get(k))).then((got = []) =>
        got.flatMap((r, i): Entry[] => (r.result ? [[keys[i], JSON.parse(r.result)]] : [])),
      ),
    _del: (keys) => run('readwrite', (s) => chain(keys, (k) => s.delete(k))),
    // Items are stored as JSON text: IndexedDB clones a string far faster than an object graph
    // (1,000 events: about 40 ms as objects, a long task with the building around it).
    _put: (list) => run('readwrite', (s) => chain(list, ([k, v]) => s.put(typeof v == 'string' ? v : JSON.stringify(v), k))).then(Boolean),
  };
}
