import { startCapture } from './capture';
import { checkKey, endpointOf } from './config';
import { readCookie } from './cookie';
import { createTracker, type Tracker } from './tracker';
import type { Klaviyo, Options } from './types';
import { warn } from './warn';

type Method = Exclude<keyof Klaviyo, 'push'>;

const METHODS = 'identify track trackViewedItem reset account cookieDomain isIdentified flush'.split(' ') as Method[];
/** The calls that need an account: before one is known they wait in memory (not stored, not sent). */
const HELD = METHODS.slice(0, 4);

/**
 * The public `klaviyo` object. It decides whether calls are tracked at all: a private key or
 * `__kla_off=true` turns klite off (nothing stored, nothing sent); without a key, calls wait for
 * `account(id)`. Every method returns a Promise that settles and calls an optional trailing
 * callback with its value; nothing thrown inside reaches the page.
 */
export function createApi(opts: Options) {
  let key: string | undefined;
  let tracker: Tracker | undefined;
  let domain: unknown;
  let off = readCookie('__kla_off') == 'true';
  /** Calls waiting for the tracker: with a resolver once the key is known (the tracker comes a task later). */
  const held: [Method, unknown[], ((value: unknown) => void)?][] = [];

  const account = (id?: unknown): string | undefined => {
    const check = checkKey(id);
    if (id === undefined || off) return key;
    if (key) id != key && warn('account ' + id + ' refused: sending to ' + key);
    else if (check == 'private') {
      off = true;
      held.length = 0;
      warn('private API key refused: nothing is sent or stored. Rotate it in Klaviyo.', true);
    } else if (check) warn('"' + id + '" is not a public API key (6 letters or digits).', true);
    else {
      key = id as string;
      // The visitor and the queue start on a task of their own (first storage and cookie reads
      // cost the browser several ms each); calls made until then wait and settle then.
      setTimeout(() => {
        try {
          tracker = createTracker(key!, endpointOf(opts.endpoint));
          tracker.cookieDomain(domain);
        } catch (e) {
          // Calls keep waiting in memory: nothing is lost by this page, nothing thrown into it.
          return warn('could not start: ' + e, true);
        }
        held.splice(0).forEach(([name, args, settle]) => {
          let value: unknown;
          try {
            value = (tracker as any)[name](...args);
          } catch (e) {
            warn(name + '() failed: ' + e);
          }
          settle?.(value);
        });
        try {
          startCapture(api, opts.capture);
        } catch (e) {
          warn('auto-capture off: ' + e);
        }
      });
    }
    return key;
  };

  /** What a method answers before there is a tracker: an empty identity, `track` accepted unless off… */
  const early = (name: Method, args: unknown[]) =>
    name == 'identify' ? {} : name == 'track' ? !off : name == 'isIdentified' ? false : name == 'flush' ? held.length :
    name == 'cookieDomain' ? (domain = typeof args[0] == 'string' ? args[0] : domain) : undefined;

  const api = {} as Klaviyo;
  METHODS.forEach((name) => {
    api[name] = ((...args: unknown[]) => {
      const cb = typeof args[args.length - 1] == 'function' && (args.pop() as (v: unknown) => void);
      let result: unknown;
      try {
        if (name == 'account') result = account(args[0]);
        else if (tracker) result = (tracker as any)[name](...args);
        else if (key && !off && name != 'cookieDomain') result = new Promise((settle) => held.push([name, args, settle]));
        else {
          if (!off && HELD.includes(name)) held.push([name, args]);
          result = early(name, args);
        }
      } catch (e) {
        warn(name + '() failed: ' + e);
      }
      return Promise.resolve(result).then((value) => {
        try {
          cb && cb(value);
        } catch (e) {
          warn('function failed: ' + e);
        }
        return value;
      });
    }) as never;
  });

  /** `push([method, ...args, callback?])` or `push(fn)`, each entry in order: klaviyo.js's queue format. */
  api.push = (...entries: unknown[]) => {
    for (const entry of entries) {
      try {
        const name = Array.isArray(entry) && entry[0];
        if (typeof entry == 'function') entry(api);
        else if (METHODS.includes(name)) (api as any)[name](...(entry as unknown[]).slice(1));
        else warn('push() ignored what is neither [method, ...arguments] nor a function.');
      } catch (e) {
        warn('function failed: ' + e);
      }
    }
    return undefined;
  };

  account(opts.companyId);
  return { _api: api, _identified: () => !!tracker?.isIdentified() };
}
