import { startCapture } from './capture';
import { checkKey, endpointOf } from './config';
import { createConsent, type Consent } from './consent';
import { watchConsent } from './consent-signals';
import { eraseStorage } from './erase';
import { guard } from './guard';
import { onHidden } from './lifecycle';
import { createTracker, type Tracker } from './tracker';
import type { Klaviyo, Options } from './types';
import { whenSettled } from './settle';
import { attempt, warn } from './warn';

type Method = Exclude<keyof Klaviyo, 'push'>;

/** The first four need an account and consent: until then they wait in memory (not stored, not sent). */
const METHODS = 'identify track trackViewedItem reset account cookieDomain isIdentified flush consent'.split(' ') as Method[];

/**
 * The public `klaviyo` object. It decides whether calls are tracked at all: a private key turns
 * klite off (nothing stored, nothing sent); without a key, or while consent is pending, calls wait
 * in memory; once consent is denied they are dropped and what klite stored is erased. Every method
 * returns a Promise that settles and calls an optional trailing callback with its value; nothing
 * thrown inside reaches the page.
 */
export function createApi(opts: Options) {
  let key: string | undefined;
  let tracker: Tracker | undefined;
  /** The cookie domain the page asked for: the tracker writes the visitor's cookie there, a refusal erases it there. */
  let domain: string | undefined;
  let refused = false;
  /** A tracker (so an IndexedDB connection, and auto-capture) was started by this page. */
  let opened = false;
  /** Calls waiting for the tracker: with a resolver once it is on its way (it comes a task later). */
  const held: [Method, unknown[], ((value: unknown) => void)?][] = [];
  /** A step of auto-capture that throws turns it off, with a word, never the rest. */
  const OFF = 'auto-capture off: ';

  /** Calls are taken into the queue: consent granted, or pending with the merchant's leave to hold them in storage. */
  const live = () => !refused && (consent() == 'granted' || (consent() == 'pending' && opts.hold == 'storage'));

  /** What a new consent state does: a refusal drops and erases everything, a yes starts and sends. */
  const changed = (next: Consent) => {
    if (next == 'denied') {
      held.length = 0;
      tracker?._erase();
      tracker = undefined;
      eraseStorage(domain, opened);
    } else {
      // start() waits for live(); a tracker exists only for a key that was not refused.
      start();
      if (next == 'granted') tracker?.flush();
    }
  };
  /** Sets a consent state (see consent.ts); `consent()` answers the current one. */
  const consent = createConsent(opts, changed);

  /** The start-up is scheduled (see `start`). */
  let booting = false;

  /**
   * Creates the tracker and replays the calls that waited for it. Normally the microtask `start`
   * schedules; run at once when the page is hidden first, so that calls made in a page's first
   * moments leave with it (a bouncing visitor never comes back to deliver them): `going`.
   */
  const boot = (going?: boolean) => {
    // (When the page was hidden first, the scheduled run comes too: it finds the tracker, and nothing held.)
    booting = false;
    if (!live()) return;
    tracker ||= attempt(
      'could not start: ',
      () => {
        const t: Tracker = /*@__NOINLINE__*/ createTracker(
          key!,
          endpointOf(opts.endpoint),
          () => tracker != t || consent() != 'granted',
          domain,
        );
        return t;
      },
      true,
    );
    // None when it could not start: calls keep waiting in memory (nothing lost, nothing thrown into the page).
    if (!tracker) return;
    held.splice(0).forEach(([name, args, settle]) => {
      // Made first: `settle?.(…)` would skip the call itself for those held without a settle.
      const value = attempt(name + '() failed: ', () => (tracker as any)[name](...args));
      settle?.(value);
    });
    // Auto-capture's first look comes with the page's first tracker, after the calls that waited
    // for it (its reading of the page is a task of its own: start-up never adds up to a long task).
    if (!opened) {
      opened = true;
      attempt(OFF, () => first?.(going));
    }
  };

  // The visitor and the queue start once the script that needs them is done (a microtask): not in
  // its stack, and not a task later either, which a closing tab may never give (Firefox stopped
  // 2 of 15 start-ups made in a tab's close). Calls made until then wait and settle then.
  const start = () => {
    if (key && woken && !booting && live()) {
      booting = true;
      queueMicrotask(boot);
    }
  };

  let woken = false;
  /**
   * klite's first look at consent (the off-switch cookie, the page's consent sources), at its key
   * and its start-up, on the first thing that needs them: a call, the page being hidden, or else QUIET ms
   * after load (settle.ts). A page that makes no call pays nothing for klite while it loads;
   * nothing is stored or sent before this anyway.
   */
  const wake = () => {
    if (woken) return;
    woken = true;
    if (consent() == 'denied') eraseStorage();
    /*@__NOINLINE__*/ watchConsent(consent);
    // The key is checked now, not as klite loads: its RegExp would be the page's first (about a ms).
    account(opts.companyId);
    start();
  };

  const account = (id?: unknown): string | undefined => {
    const check = checkKey(id);
    if (id === undefined || refused) return key;
    if (key) {
      if (id != key) warn('account ' + id + ' refused: sending to ' + key);
    } else if (check == 'private') {
      refused = true;
      held.length = 0;
      warn('private API key refused: nothing sent or stored. Rotate it.', true);
    } else if (check) {
      warn('"' + id + '" is not a public API key (6 letters or digits).', true);
    } else {
      key = id as string;
      start();
    }
    return key;
  };

  const api = {} as Klaviyo;
  METHODS.forEach((name) => {
    // An async function: its Promise is the browser's own, whatever the page did to window.Promise,
    // and its body runs at once (up to the `await`).
    api[name] = (async (...args: unknown[]) => {
      const cb = typeof args.at(-1) == 'function' && (args.pop() as (v: unknown) => void);
      // A held call's answer is its Promise: the callback hears what it settles with.
      const value = await attempt(name + '() failed: ', (): unknown => {
        wake();
        // Known here whether or not a tracker exists yet: a refusal erases the cookie where it is.
        if (name == 'cookieDomain' && typeof args[0] == 'string') domain = args[0];
        if (name == 'account') return account(args[0]);
        if (name == 'consent') return consent(args[0], true);
        if (tracker && live()) return (tracker as any)[name](...args);
        if (key && live() && name != 'cookieDomain') return new Promise((settle) => held.push([name, args, settle]));
        const kept = !refused && consent() != 'denied';
        if (kept && METHODS.indexOf(name) < 4) held.push([name, args]);
        // What a method answers without a tracker (the others: undefined).
        const answers: Partial<Record<Method, unknown>> = {
          identify: {},
          track: kept,
          isIdentified: false,
          flush: held.length,
          cookieDomain: domain,
        };
        return answers[name];
      });
      if (cb) attempt('function failed: ', () => cb(value));
      return value;
    }) as never;
  });

  /** `push([method, ...args, callback?])` or `push(fn)`, each entry in order: klaviyo.js's queue format. */
  api.push = (...entries: unknown[]) => {
    for (const entry of entries)
      attempt('function failed: ', () => {
        const name = Array.isArray(entry) && entry[0];
        if (typeof entry == 'function') entry(api);
        else if (METHODS.includes(name)) (api as any)[name](...(entry as unknown[]).slice(1));
        else warn('push() ignored: not [method, ...args] or a function.');
      });
    return undefined;
  };

  whenSettled(wake);
  // Auto-capture's hooks listen from now on (its calls, like the page's, start klite); its first
  // look at the page is the start-up's.
  const first = attempt(OFF, () => startCapture(api, opts.capture, live));
  /**
   * The page is hidden or left: start-up is finished now if it was pending, then this page's calls
   * go. Heard here (lifecycle.ts), not by the tracker: one created while the event is dispatched
   * would not hear it, and one retired by a refusal must not send.
   */
  onHidden(() =>
    guard(() => {
      wake();
      if (booting) boot(true);
      tracker?._hidden();
    }),
  );
  // The api, and whether the visitor is identified now (`_learnq.isIdentified`, synchronous).
  return [api, () => !!tracker?.isIdentified()] as const;
}
