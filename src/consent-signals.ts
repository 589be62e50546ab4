import { guard } from './guard';
import type { Consent } from './types';

/** Sets a state (automatic signals: a sticky refusal ignores them); without one, answers the current state. */
type Set = (state?: Consent) => Consent;

/**
 * How long a consent source that said "wait" (Shopify loading its API, a TCF CMP) may take to
 * answer: after this, klite goes back to the state it had (the merchant's `consent` option,
 * granted by default), so a blocked or broken banner script never holds every call forever. A
 * later answer still counts.
 */
export const CONSENT_WAIT = 3000;

/**
 * Listens to the consent signals a page already has and reports each answer as it comes, oldest
 * first: Shopify's Customer Privacy API, Google Consent Mode (`gtag('consent', …)` on the
 * dataLayer) and the IAB TCF v2 `__tcfapi`. Each is read now and followed from now on; none is
 * loaded or created if the page does not have it (the dataLayer excepted, which gtag itself
 * creates the same way).
 */
export function watchConsent(set: Set): void {
  // Each platform global is the page's: one that throws must not stop klite or the other sources (guard).
  const w = window as any;
  const initial = set();

  /** A source asks to wait for its answer: pending, at most CONSENT_WAIT; call the result when it answers. */
  const wait = () => {
    let answered = false;
    set('pending');
    setTimeout(() => answered || set() != 'pending' || set(initial), CONSENT_WAIT);
    return () => (answered = true);
  };

  // Shopify: userCanBeTracked() now; its events when the visitor answers the banner.
  const privacy = () => w.Shopify?.customerPrivacy;
  const shopify = (allowed?: boolean) =>
    guard(() => {
      const p = privacy();
      allowed ??= p?.userCanBeTracked?.();
      if (allowed !== undefined) set(allowed ? 'granted' : p?.currentVisitorConsent?.().analytics == 'no' ? 'denied' : 'pending');
    });
  guard(() => {
    if (privacy()) shopify();
    // A Shopify shop whose theme has not loaded the API yet: load it the documented way (as klaviyo.js
    // does) and wait for its answer; if it cannot load, the shop has no consent banner to wait for.
    else if (w.Shopify?.loadFeatures) {
      // One that throws is as one that never answers (see wait).
      const answered = wait();
      w.Shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], (error: unknown) => {
        answered();
        // Loaded without its API, or not at all: no banner to wait for.
        shopify(error || !privacy()?.userCanBeTracked ? true : undefined);
      });
    }
  });
  // Shopify dispatches these on the document, without bubbling.
  document.addEventListener('visitorConsentCollected', (e: any) => shopify(e.detail?.analyticsAllowed));
  document.addEventListener('trackingConsentAccepted', () => shopify(true));

  // Google Consent Mode: gtag pushes `arguments` objects ['consent', 'default'|'update', {…}].
  // A default of denied is the state before the visitor answered (pending); an update is their answer.
  const gcm = (entry: any) =>
    guard(() => {
      const v = entry?.[0] == 'consent' && (entry[2]?.analytics_storage || entry[2]?.ad_storage);
      if (v) set(v == 'granted' ? 'granted' : entry[1] == 'update' ? 'denied' : 'pending');
    });
  guard(() => {
    const layer = w.dataLayer;
    if (!Array.isArray(layer)) return;
    layer.forEach(gcm);
    const push = layer.push;
    layer.push = function (...entries: unknown[]) {
      entries.forEach(gcm);
      return push.apply(this, entries);
    };
  });

  // TCF v2: purpose 1 (store and access information on a device) decides, where GDPR applies;
  // until the CMP answers (at most CONSENT_WAIT), consent is pending.
  guard(() => {
    if (typeof w.__tcfapi != 'function') return;
    const answered = wait();
    w.__tcfapi('addEventListener', 2, (tc: any, ok: boolean) =>
      guard(() => {
        if (!ok || !tc) return;
        answered();
        if (tc.eventStatus == 'cmpuishown') set('pending');
        else set(tc.gdprApplies === false || tc.purpose?.consents?.[1] ? 'granted' : 'denied');
      }),
    );
  });
}
