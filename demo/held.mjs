// What klite holds in this browser, and why: the demo inspector's view of klite's own storage on
// the shop's origin (the inspector is served from it). Read only, never written: opening klite's
// database must not create it, or klite would find a database without its store and fall back to
// memory. Every shape here is klite's stored format, from its source (test/demo/held.test.ts keeps
// the constants in step): the database and store (src/store.ts), a call's stored keys
// (mangle.json), the rescues of closing pages (src/rescue.ts), the visitor (src/identity.ts), the
// consent cookie (src/consent.ts), the TTLs (src/requests.ts) and which statuses are retried
// (src/backoff.ts). `readHeld` reads the browser; `describeCall` and `whyNothing` are pure.

/** src/store.ts DB_NAME, and its one object store. */
export const DB_NAME = 'klite-v1';
export const STORE = 'queue';
/** src/queue.ts MARK: a key klite keeps in the store, not a call. */
export const MARK = '~';
/** src/rescue.ts PREFIX: `klite:unsaved:<page id>` → `[key, call][]`. */
export const RESCUE = 'klite:unsaved:';
/** src/identity.ts: the identifiers (localStorage) and an email link's `_kx` (sessionStorage, this tab's). */
export const IDS_KEY = 'klite:ids';
export const KX_KEY = 'klite:kx';
/** src/requests.ts ANONYMOUS_TTL and TTL. */
export const ANONYMOUS_TTL = 14 * 864e5;
export const TTL = 30 * 864e5;
/** src/backoff.ts BASE and CAP. */
export const BASE = 2000;
export const CAP = 3e5;
/** A call queued this long without an attempt is not on its way: said so. */
export const STALE = 30e3;

/** src/backoff.ts `retryable`; the endpoint records a dropped connection as 'dropped' (klite sees status 0). */
const retryable = (status) => !+status || status == 408 || status == 429 || status > 499;
const plural = (n, word) => n + ' ' + word + (n == 1 ? '' : 's');
const minutes = (ms) => (ms < 6e4 ? Math.round(ms / 1e3) + ' s' : Math.round(ms / 6e4) + ' min');

/**
 * One held call as the inspector lists it. `entry`: `[key, stored call]` (mangle.json's keys: k kind,
 * m metric, a attributes, p profile, c client id, s accepted). `env`: the visitor now (`cid`,
 * `identified`), `now`, and `attempts`: the endpoint's recorded requests that carried this event
 * (by its unique_id), oldest first, or a function that finds them. Returns `{ key, method, name, at, code, why, expires, rescued }`.
 */
export function describeCall([key, item], { cid, identified, now, attempts = [], rescued = false }) {
  const event = item.k == 'e';
  const attrs = item.a || {};
  // src/requests.ts plan: an anonymous call goes with its own visitor's identity once there is one.
  const sendable = !!item.p || (item.c == cid && identified);
  let code;
  let why;
  if (!sendable && item.c != cid) {
    code = 'earlier visitor';
    why =
      'anonymous, made by an earlier visitor of this browser (a reset, or the cookie cleared): it is never sent, only dropped when it expires';
  } else if (!sendable) {
    code = 'anonymous';
    why = "klite holds an anonymous visitor's calls until they are identified: subscribe to the newsletter, or identify(), to send them";
  } else {
    // (A function: the endpoint's requests are searched only for calls that can be sent.)
    if (typeof attempts == 'function') attempts = attempts();
    const last = attempts[attempts.length - 1];
    const failed = attempts.filter((r) => retryable(r.status) && r.status !== 0).length;
    if (last && last.status >= 200 && last.status < 300) {
      code = 'acknowledged';
      why = 'the endpoint accepted it: klite forgets it on its next look';
    } else if (last && last.status === 0) {
      code = 'sending';
      why = 'on its way: the endpoint has not answered yet';
    } else if (last && !retryable(last.status)) {
      code = 'refused';
      why = 'refused by the endpoint (' + last.status + (last.error ? ': ' + last.error : '') + '): klite drops it';
    } else if (failed) {
      code = 'backing off';
      why =
        plural(failed, 'attempt') +
        ' failed, the last with ' +
        (+last.status ? last.status : 'no answer') +
        ': klite retries with back-off (a random wait up to ' +
        minutes(Math.min(CAP, BASE * 2 ** (failed - 1))) +
        ", doubling to at most 5 min, or the Retry-After); the next try is in that tab's memory, not stored";
    } else {
      code = 'queued';
      why =
        now - item.s > STALE
          ? 'queued ' +
            minutes(now - item.s) +
            ' with no attempt: no page of the shop is open to send it, or consent is pending there (hold: "storage")'
          : 'queued: klite sends about a second after a call';
    }
  }
  return {
    key,
    method: event ? 'track' : 'identify',
    // A profile update shows what it sets (its identifiers are in the profile the inspector lists once it arrives).
    name: event ? item.m : 'profile update: ' + Object.keys(attrs.properties || attrs).join(', '),
    at: item.s,
    code,
    why,
    expires: item.s + (sendable ? TTL : ANONYMOUS_TTL),
    rescued,
  };
}

/**
 * Why the endpoint has received nothing, from what this browser holds: `held` (describeCall's),
 * `refused` (the `__kla_off` cookie), `gpc` (Global Privacy Control on), `started` (klite's
 * database or visitor cookie exists).
 */
export function whyNothing({ held, refused, gpc, started }) {
  if (held.length) {
    const by = {};
    held.forEach((c) => (by[c.code] = (by[c.code] || 0) + 1));
    const parts = [];
    if (by.anonymous)
      parts.push(plural(by.anonymous, 'call') + ' for an anonymous visitor: subscribe to the newsletter or identify to send them');
    if (by['earlier visitor']) parts.push(plural(by['earlier visitor'], 'call') + ' of an earlier anonymous visitor, never sent');
    for (const code of ['backing off', 'queued', 'sending', 'acknowledged', 'refused'])
      if (by[code]) parts.push(by[code] + ' ' + code + (code == 'backing off' ? ' after failed attempts' : ''));
    return 'klite holds ' + parts.join('; ') + '.';
  }
  if (refused) return 'consent refused in this browser (the __kla_off cookie): klite stores and sends nothing here.';
  if (gpc) return 'Global Privacy Control is on in this browser, which klite takes as a refusal: it stores and sends nothing.';
  if (!started)
    return (
      "klite has not started in this browser yet: it starts on a page's first call, or 3 s after a page loads. " +
      "Until then, and while it has no key or consent is pending, calls wait in that page's memory, which this page cannot see."
    );
  return "klite holds nothing in this browser: what it queued was delivered, or waits in a page's memory (no key, consent pending).";
}

/** Runs `f`, undefined when it throws (storage can be blocked, or hold what klite never wrote). */
const safely = (f) => {
  try {
    return f();
  } catch {
    return undefined;
  }
};
const request = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
/** A stored value: JSON text (src/store.ts), or an object as another release may have stored it. */
const parse = (v) => (typeof v == 'string' ? safely(() => JSON.parse(v)) : v);

/** klite's stored calls, `[key, call][]`, or undefined when it has no database here. Never creates or upgrades it. */
export async function readStore(idb = globalThis.indexedDB) {
  if (!idb) return undefined;
  // Not even an open attempt when the browser can tell the database is not there.
  if (idb.databases && !(await idb.databases()).some((d) => d.name == DB_NAME)) return undefined;
  const db = await new Promise((resolve) => {
    const req = idb.open(DB_NAME);
    // It was not there after all: aborting the upgrade leaves no database behind.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
  });
  if (!db) return undefined;
  // A refusal deletes the database: this connection must never stand in its way.
  db.onversionchange = () => db.close();
  try {
    if (!db.objectStoreNames.contains(STORE)) return [];
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    // One transaction: the keys and values of the same moment, both in key order.
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    return keys.flatMap((k, i) => (k == MARK || !parse(values[i]) ? [] : [[k, parse(values[i])]]));
  } finally {
    db.close();
  }
}

/** The calls closing pages rescued to localStorage, `[key, call][]`. */
export const readRescues = (ls) =>
  safely(() => Object.keys(ls).filter((k) => k.startsWith(RESCUE)))?.flatMap((k) => safely(() => JSON.parse(ls.getItem(k))) || []) || [];

/** A cookie's raw value, '' when absent. */
const cookie = (doc, name) => safely(() => doc.cookie.match('(?:^|;) ?' + name + '=([^;]*)')?.[1]) || '';

/**
 * Everything the inspector shows of this browser: the held calls in call order (IndexedDB's, then
 * rescues not in it), the visitor, the consent signals. `attemptsOf(uniqueId)`: the endpoint's
 * requests that carried an event.
 */
export async function readHeld(attemptsOf = () => [], win = globalThis) {
  const stored = await readStore(win.indexedDB).catch(() => undefined);
  const inStore = new Set((stored || []).map(([k]) => k));
  const rescued = readRescues(win.localStorage).filter(([k, c]) => c && !inStore.has(k));
  const cid = safely(() => JSON.parse(atob(decodeURIComponent(cookie(win.document, '__kla_id')))).cid);
  const ids = {
    ...safely(() => JSON.parse(win.localStorage.getItem(IDS_KEY))),
    _kx: safely(() => JSON.parse(win.sessionStorage.getItem(KX_KEY))),
  };
  const env = { cid, identified: ['email', 'phone_number', 'external_id', '_kx'].some((k) => ids[k]), now: Date.now() };
  const seen = new Set();
  const held = [...(stored || []).map((e) => [e, false]), ...rescued.map((e) => [e, true])]
    .filter(([[k]]) => !seen.has(k) && seen.add(k))
    .sort(([a], [b]) => (a[0] < b[0] ? -1 : 1))
    .map(([e, rescued]) => describeCall(e, { ...env, rescued, attempts: () => (e[1].k == 'e' ? attemptsOf(e[1].a?.unique_id) : []) }));
  return {
    held,
    cid,
    identified: env.identified,
    refused: cookie(win.document, '__kla_off') == 'true',
    gpc: safely(() => win.navigator.globalPrivacyControl) === true,
    started: !!stored || !!cid,
  };
}
