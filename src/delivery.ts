import { backoff, retryable, retryAfter } from './backoff';
import type { Visitor } from './identity';
import type { Queue } from './queue';
import { plan, prepare, type Parts, type Request } from './requests';
import { RECEIPT_KEYS, receipted } from './receipts';
import { post } from './transport';
import { hear, tell } from './tabs';
import { warn } from './warn';

/** Calls are sent about a second after the first unsent one, so a burst goes as one request. */
export const DELAY = 1000;
/** Chromium refuses keepalive bodies past 64 KiB in flight; keep a margin for headers. */
export const KEEPALIVE_BUDGET = 6e4;

/** The Web Lock that only one tab of the origin holds while it sends. */
export const LOCK = 'klite-send';
/** How long the lock may stay taken before this tab takes it (see `takenSince`). */
export const STEAL_AFTER = 15e3;

/**
 * Sends the queue to Klaviyo. A call leaves the queue only on a 2xx or a permanent refusal
 * (other 4xx). Network errors, 408, 429 and 5xx keep it queued and retry with back-off (a 429's
 * Retry-After at least); each profile is tried in every pass, so one that fails never holds back
 * the others.
 *
 * Tabs share the IndexedDB queue, and one of them sends at a time: a pass runs under a Web Lock and
 * starts from what IndexedDB holds, so what another tab delivered is not sent again. A tab that
 * finds the lock taken nudges the holder (tabs.ts) instead of sending, and a pause
 * one tab learns (Retry-After, back-off) is told to all. A tab that dies mid-send releases the lock
 * with its life; its calls are still in IndexedDB for the next pass (and `unique_id` makes a resend
 * harmless). Without Web Locks each tab sends on its own, and `unique_id` still deduplicates.
 */
/**
 * `wait()`: true while nothing may leave the browser (consent pending, or this tracker retired).
 * Answers [flush, soon, hidden].
 */

export function createDelivery(queue: Queue, visitor: Visitor, endpoint: string, companyId: string, wait: () => boolean) {
  /** Calls on their way, by key: true when sent with keepalive (that request outlives the page). */
  const inflight = new Map<string, boolean | undefined>();
  const locks: LockManager | undefined = navigator.locks;
  // Another tab's pause, or its nudge (0) to this one, holding the lock, to send now.
  hear(LOCK, (at) => {
    retryAt = Math.max(retryAt, +at || 0);
    schedule(Math.max(retryAt - Date.now(), 50));
  });
  let failures = 0;
  /**
   * Since when this tab has found the lock taken (0: it had it last): after STEAL_AFTER of that,
   * it takes it. A holder that long is a frozen page (WebKit keeps a page in its back/forward
   * cache holding its locks); a live one only sends alongside, and `unique_id` keeps that harmless.
   */
  let takenSince = 0;
  let retryAt = 0;
  /**
   * How this pass went so far: 0 (all sent), else the status of a request to retry (1: no answer),
   * which stops its profile; a 429, the account's rate limit, stops the whole pass.
   */
  let failed = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The flush under way, if any. */
  let running: Promise<number> | undefined;
  /** A flush was asked for while one ran: it passes once more. */
  let again = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  };

  /** Nothing is sent for `ms` (or a longer pause already known); every tab is told. */
  const pause = (ms: number) => {
    retryAt = Math.max(retryAt, Date.now() + ms);
    tell(LOCK, retryAt);
  };
  /** The next flush once the pause is over. */
  const resume = () => schedule(retryAt - Date.now());

  /** Sends one request; false when it must be retried. */
  const send = async ([path, body, entries]: Request, keepalive?: boolean): Promise<boolean> => {
    const keys = entries.map(([k]) => k);
    // In flight once the request has left (post() calls fetch before it first waits): a closing
    // page stopped before that must not count these calls as on their way.
    // A closing page's request in first-party mode (an endpoint path on the shop's origin, klite's
    // proxy) names its calls, for a receipt (receipts.ts).
    const batch = keepalive && endpoint[0] == '/' && !keys[RECEIPT_KEYS] ? '&batch=' + keys.join('.') : '';
    const outcome = post(endpoint, path, companyId + batch, body, keepalive);
    keys.forEach((k) => inflight.set(k, keepalive));
    const [status, after, detail] = await outcome;
    keys.forEach((k) => inflight.delete(k));
    if (retryable(status)) {
      pause(retryAfter(after, Date.now()));
      failed = status || 1;
      return false;
    }
    if (status > 299) {
      if (keys[1]) {
        // A permanent refusal of several calls: resend them one by one, so only a bad one is dropped
        // (planned with no byte budget, each event is a request of its own; at time 0 none expires).
        // A call that no longer plans (anonymous, and the visitor was reset meanwhile) waits for an
        // identity or its TTL, like any anonymous call.
        for (const r of plan(entries, visitor, 0, 0)[0].flat()) if (!(await send(r, keepalive))) return false;
        return true;
      }
      warn('call refused by Klaviyo, dropped: ' + status + ' ' + detail);
    }
    queue._del(keys);
    return true;
  };

  /** One pass over the queue. keepalive: the page is being hidden; send all now within the budget. */
  const pass = async (keepalive?: boolean) => {
    if (wait()) return;
    let parts: Parts | undefined;
    if (keepalive) queue._writeNow();
    else {
      // Offline, or backing off: nothing to read back or plan yet (the `online` event flushes).
      if (navigator.onLine === false) return;
      if (Date.now() < retryAt) return resume();
      // What a closed page sent and the proxy's receipts say was accepted is not sent again.
      // (Read in every mode: one cookie read a pass, microseconds; no check of the mode for it.)
      const done = receipted();
      if (done[0]) await queue._del(done);
      await queue._sync();
      parts = await prepare(queue._entries());
      // Consent may have been refused while the parts were made (and what a hiding page sent
      // meanwhile is in flight, so left out below).
      if (wait()) return;
    }
    const [groups, expired] = plan(
      queue._entries().filter(([k]) => (keepalive ? !inflight.get(k) && queue._own(k) : !inflight.has(k))),
      visitor,
      Date.now(),
      keepalive ? KEEPALIVE_BUDGET : undefined,
      parts,
    );
    if (expired[0]) {
      warn('calls undelivered for 30 days (anonymous: 14) dropped.');
      queue._del(expired.map(([k]) => k));
    }
    if (navigator.onLine === false || !groups[0]) return;
    let budget = KEEPALIVE_BUDGET;
    if (keepalive) {
      // The closing page's last chance: all at once, back-off ignored, within the byte budget.
      for (const g of groups)
        for (const r of g) {
          budget -= r[3];
          if (budget >= 0) send(r, true);
        }
      return;
    }
    failed = 0;
    for (const g of groups) for (const r of g) if (failed == 429 || !(await send(r))) break;
    if (failed) {
      pause(backoff(failures++));
      resume();
    } else failures = 0;
  };

  /**
   * Runs `send` holding the origin's send lock, or, when another tab holds it, nudges that tab and
   * looks again a little later (in case it closes first).
   */
  const exclusive = (send: () => Promise<unknown>) =>
    locks
      ? locks.request(LOCK, takenSince && Date.now() - takenSince > STEAL_AFTER ? { steal: true } : { ifAvailable: true }, (lock) => {
          if (lock) {
            takenSince = 0;
            return send();
          }
          takenSince ||= Date.now();
          tell(LOCK, 0);
          schedule(5e3);
        })
      : send();

  /** Sends what is sendable now; resolves with how many calls are still queued. */
  const flush = (): Promise<number> => {
    clearTimeout(timer);
    timer = undefined;
    if (running) {
      again = true;
      return running;
    }
    return (running = (async () => {
      try {
        await exclusive(async () => {
          do {
            again = false;
            await pass();
          } while (again);
          queue._trim();
        });
      } catch (e) {
        // E.g. a page that broke a built-in for a while: tried again like a failed request.
        warn('delivery failed: ' + e);
        schedule(backoff(failures++));
      }
      running = undefined;
      return queue._size();
    })());
  };

  return [
    flush,
    /** A second from the first unsent call; a pending retry is not brought forward. */
    () => {
      if (!timer) schedule(DELAY);
    },
    /**
     * The page is being hidden or left: this page's own unsent calls go now, with keepalive and
     * without waiting for the lock (a closing page may not live to get it); what is not
     * acknowledged stays queued, for the lock holder or the next page view. Calls on their way in
     * a request without keepalive go again: the browser cancels that request with the page (seen
     * in Firefox: one event of 50 lost), and `unique_id` makes the second copy harmless.
     */
    () => pass(true).catch(() => {}),
  ] as const;
}

export type Delivery = ReturnType<typeof createDelivery>;
