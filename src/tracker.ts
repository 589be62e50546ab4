import { clean } from './clean';
import { createDelivery } from './delivery';
import { randomId } from './ids';
import { createIdentity, isIdentified, publicIdentity } from './identity';
import { toEvent, toProfile } from './attributes';
import { createQueue } from './queue';
import { openStore } from './store';
import type { Identity, Item } from './types';
import { addViewed, type Viewed } from './viewed';
import { warn } from './warn';
import { CART_KEY, load, save } from './webstore';

const VIEWED_KEY = 'klite:viewed';

/**
 * A tracker for one account: the visitor, the write-ahead queue and its delivery, and the page
 * lifecycle that drives them. Created only once a valid public key is known; its methods are
 * the public ones, with their arguments and results (api.ts adds Promises and callbacks).
 */
export function createTracker(companyId: string, endpoint: string, wait: () => boolean, cookieDomain?: string) {
  const page = new URL(location.href);
  const [visitor, merge, domain, forget] = createIdentity(companyId, page, cookieDomain);
  const queue = createQueue(openStore(), () => soon());
  const [flush, soon, hidden] = createDelivery(queue, visitor, endpoint, companyId, wait);
  const pageId = randomId() + '.';
  let n = 0;

  /**
   * Queues a call with who made it and when; `build` copies the caller's data on the next task.
   * The identifiers are shared, not copied: identity.ts replaces `_ids`, never changes it in place.
   */
  const enqueue = (_kind: Item['_kind'], build: () => Pick<Item, '_attributes' | '_metric' | '_meta'>) =>
    queue._add(
      { _kind, _profile: isIdentified(visitor._ids) ? visitor._ids : undefined, _client: visitor._cid, _accepted: Date.now() },
      build,
    );

  const identify = (props: unknown): Identity => {
    // Copied now, not on the next task: the identifiers take effect at once.
    const { _ids, ...profile } = toProfile(clean(props));
    merge(_ids);
    // The identifiers are shared, not copied, as `enqueue` shares them.
    if (isIdentified(visitor._ids)) queue._claim(visitor._ids, visitor._cid);
    // An undefined `_meta` is left out of the stored JSON.
    enqueue('p', () => profile);
    return publicIdentity(visitor._ids);
  };

  // What earlier pages left is delivered now; `utm_email` identifies, as in klaviyo.js.
  queue._loaded.then(soon);
  const email = page.searchParams.get('utm_email');
  if (email) identify({ email });

  // The page being hidden or left is api.ts's to hear (it may come before this tracker exists);
  // never `unload`, which breaks the back/forward cache.
  addEventListener('online', flush);

  return {
    identify,
    track(metric: unknown, props?: unknown): boolean {
      if (typeof metric != 'string' || !metric) {
        warn('track() needs a metric name.');
        return false;
      }
      // Unique per event: this page's random id and a counter (one random id per call cost more than the rest of track()).
      const uid = pageId + (n++).toString(36);
      const at = Date.now();
      // Klaviyo takes names under 128 characters.
      enqueue('e', () => ({ _metric: metric.slice(0, 127), _attributes: toEvent(clean(props), uid, at) }));
      return true;
    },
    trackViewedItem(item: unknown): void {
      const list = addViewed(load<Viewed[]>(VIEWED_KEY), clean(item), Date.now());
      save(VIEWED_KEY, list);
      identify({ $viewed_items: list });
    },
    reset(): void {
      const cid = visitor._cid;
      forget();
      save(VIEWED_KEY);
      save(CART_KEY);
      // The forgotten visitor's anonymous calls can never be attributed to anyone now.
      queue._del(
        queue
          ._entries()
          .filter(([, i]) => !i._profile && i._client == cid)
          .map(([k]) => k),
      );
    },
    /** Consent was refused: what is queued goes (this tracker's `wait()` now holds delivery for good). */
    _erase: queue._clear,
    flush,
    /** The page is hidden or left: this page's calls go now, with keepalive. */
    _hidden: hidden,
    cookieDomain: domain,
    isIdentified: () => isIdentified(visitor._ids),
  };
}

export type Tracker = ReturnType<typeof createTracker>;
