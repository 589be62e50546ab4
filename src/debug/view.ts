import { readCookie } from '../cookie';
import { isIdentified } from '../identity';
import type { Entry, Ids, Item, Klaviyo } from '../types';
import { load } from '../webstore';
import { capturedProduct } from './capture';
import { callLabel, maskIds, outcome, retryLine, short } from './format';
import { readQueue } from './queue';

/** The key klite's delivery tells its pauses under (delivery.ts LOCK, through tabs.ts). */
const PAUSES = 'klite-send';
/** How often the view looks at the queue. */
const POLL = 500;

/**
 * The debug view: prints to the console what klite captured on this page, each call and its
 * state, and each request with its outcome and the next try. It only observes: the queue read-only
 * (queue.ts), the visitor from klite's storage, the page's calls by wrapping `klaviyo`'s methods,
 * requests by wrapping `fetch` (klite looks `fetch` up on every request), pauses by wrapping
 * `Storage.prototype.setItem` (the key klite tells its tabs). `on()`: still on (checked before
 * every line, so `klaviyo.debug(false)` silences it at once).
 */
export function watch(klaviyo: Klaviyo, on: () => boolean, extract?: any): void {
  const w = window as any;
  const log = (...lines: string[]) => on() && lines.forEach((l) => console.log(l));
  const group = (title: string, lines: string[]) => {
    if (!on()) return;
    console.groupCollapsed(title);
    lines.forEach((l) => console.log(l));
    console.groupEnd();
  };
  const original: any = { ...klaviyo };

  // Calls: numbered as the view first knows them; a call the page makes waits here for its stored copy.
  let count = 0;
  const numbers = new Map<string, number>();
  const waiting: [sig: string, n: number][] = [];
  const states = new Map<string, string>();
  const seen = new Map<string, Item>();
  const sig = (item: Pick<Item, '_kind' | '_metric'>) => item._kind + (item._metric || '');
  const numberOf = (key: string, item: Item) => {
    let n = numbers.get(key);
    if (!n) {
      const i = waiting.findIndex(([s]) => s == sig(item));
      n = i < 0 ? ++count : waiting.splice(i, 1)[0][1];
      numbers.set(key, n);
    }
    return n;
  };
  const line = (n: number, label: string, state: string) => '#' + n + ' ' + label + ': ' + state;
  const say = (key: string, item: Item, state: string) => {
    if (states.get(key) == state) return;
    states.set(key, state);
    log('klite ' + line(numberOf(key, item), callLabel(item._kind, item._metric, item._attributes), state));
  };

  const visitor = () => {
    const ids = load<Ids>('klite:ids') || {};
    const cid = (() => {
      try {
        return JSON.parse(atob(decodeURIComponent(readCookie('__kla_id')))).cid;
      } catch {}
    })();
    return { ids, cid };
  };

  let key: string | undefined;
  let consent = 'granted';
  const state = async () => {
    [key, consent] = await Promise.all([original.account(), original.consent()]);
  };

  /** Looks at the queue: a call new to the view, or whose state changed, gets a line. */
  const look = async () => {
    const entries = await readQueue();
    const { ids, cid } = visitor();
    for (const [k, item] of entries) {
      seen.set(k, item);
      const s = states.get(k);
      if (s && !s.startsWith('held') && s != 'queued') continue;
      const mine = item._profile || (item._client == cid && isIdentified(ids));
      say(
        k,
        item,
        consent != 'granted'
          ? 'held: consent pending (stored)'
          : mine
            ? 'queued'
            : 'held: anonymous, sent once the visitor is identified (14 days at most)',
      );
    }
  };

  // The page's calls (and auto-capture's: it calls the same object).
  for (const name of ['identify', 'track', 'trackViewedItem', 'account', 'consent', 'reset'] as const)
    (klaviyo as any)[name] = function (...args: any[]) {
      const answer = original[name](...args);
      try {
        const item: Pick<Item, '_kind' | '_metric'> = name == 'track' ? { _kind: 'e', _metric: String(args[0]) } : { _kind: 'p' };
        const label = name == 'track' ? callLabel('e', String(args[0])) : name == 'identify' ? callLabel('p', '', args[0]) : name;
        const n = name == 'identify' || name == 'track' || name == 'trackViewedItem' ? ++count : 0;
        if (n) waiting.push([sig(item), n]);
        state().then(() => {
          if (name == 'account' || name == 'consent') log('klite ' + name + '(): key ' + (key || 'none') + ', consent ' + consent);
          else if (n && !key) log('klite ' + line(n, label, 'held in memory: no public key (company_id)'));
          else if (n && consent == 'denied') log('klite ' + line(n, label, 'dropped: consent denied'));
          else if (n && consent == 'pending') log('klite ' + line(n, label, 'held: consent pending'));
          if (name == 'track' && args[0] == 'Viewed Product') captured();
          look();
        });
      } catch {}
      return answer;
    };

  // Requests: klite's own, to its endpoint's client paths.
  let requests = 0;
  const fetch = w.fetch;
  w.fetch = function (this: unknown, input: any, init?: RequestInit) {
    const url = String(input?.url ?? input);
    const path = /\/client\/(events|event-bulk-create|profiles)\b[^?]*\?company_id=/.exec(url)?.[1];
    const response = fetch.apply(this, arguments);
    if (!path || typeof init?.body != 'string') return response;
    const n = ++requests;
    const calls = callsIn(init.body);
    for (const [k, item] of calls) say(k, item, 'sent in request ' + n + (init.keepalive ? ' (keepalive: the page is closing)' : ''));
    return response.then(
      async (r: Response) => {
        const detail = r.ok
          ? ''
          : await r
              .clone()
              .json()
              .then(
                (j) => j?.errors?.[0]?.detail,
                () => '',
              );
        report(n, path, calls, r.status, detail);
        return r;
      },
      (e: unknown) => {
        report(n, path, calls, 0, '');
        throw e;
      },
    );
  };
  const report = (n: number, path: string, calls: Entry[], status: number, detail: string) => {
    const { state: s, line: l } = outcome(status, detail, calls.length);
    group(
      'klite request ' + n + ' → ' + l + ' · /client/' + path + ', ' + calls.length + ' call' + (calls.length == 1 ? '' : 's'),
      calls.map(([k, item]) => (states.set(k, s), line(numberOf(k, item), callLabel(item._kind, item._metric, item._attributes), s))),
    );
  };
  /** The queued calls a request body carries: events by their unique_id, a profile update by its attributes. */
  const callsIn = (body: string): Entry[] => {
    try {
      const data = JSON.parse(body).data;
      const events = data.type == 'event-bulk-create' ? data.attributes.events.data : data.type == 'event' ? [data] : [];
      if (data.type == 'profile')
        for (const [k, item] of seen)
          if (
            item._kind == 'p' &&
            !/^(ack|ref)/.test(states.get(k) || '') &&
            Object.keys(item._attributes).every((f) => JSON.stringify(item._attributes[f]) == JSON.stringify(data.attributes[f]))
          )
            return [[k, item]];
      return events.map((e: any): Entry => {
        const uid = e.attributes.unique_id;
        const found = [...seen].find(([, i]) => i._attributes.unique_id == uid);
        return found || [uid, { _kind: 'e', _metric: e.attributes.metric.data.attributes.name, _attributes: e.attributes } as Item];
      });
    } catch {
      return [];
    }
  };

  // Pauses: what klite tells its other tabs is when it sends next.
  const setItem = Storage.prototype.setItem;
  let told = 0;
  Storage.prototype.setItem = function (this: Storage, k: string, v: string) {
    try {
      const at = +v;
      if (k == PAUSES && at > Date.now() && at != told) log(retryLine((told = at), Date.now()));
    } catch {}
    return setItem.apply(this, arguments as any);
  };

  /** The product auto-capture reads here, each field with its source. */
  let shown = '';
  const captured = () => {
    const found = capturedProduct(document, w, location.href, extract);
    const text = JSON.stringify(found?.product);
    if (text == shown) return;
    shown = text;
    if (!found) return log('klite captured: no product on this page (no Viewed Product)');
    if (!found.product)
      return log(
        'klite captured: no Viewed Product: an editorial page (an article) that shows "' +
          found.editorial +
          '" without stating this page as its URL',
      );
    group(
      'klite captured: Viewed Product "' + found.product.ProductName + '"',
      found.fields.map(([field, value, from]) => field + ': ' + short(value) + ' ← ' + from),
    );
  };

  // What klite is and holds as the view starts.
  state().then(async () => {
    const { ids } = visitor();
    log(
      'klite debug: on for this session (?klite_debug=0 or klaviyo.debug(false) turns it off) · key ' +
        (key || 'none') +
        ' · consent ' +
        consent +
        ' · visitor ' +
        maskIds(ids as Record<string, string>),
    );
    captured();
    if (!key || consent != 'granted') {
      const held = await original.flush();
      if (held)
        log(
          'klite: ' +
            held +
            ' call' +
            (held == 1 ? '' : 's') +
            ' made before the debug view held in memory: ' +
            (key ? 'consent ' + consent : 'no public key (company_id)'),
        );
    }
    await look();
    setInterval(() => !document.hidden && on() && look(), POLL);
  });
}
