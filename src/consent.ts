import { writeCookie } from './cookie';
import { DB_NAME } from './store';

export type Consent = 'granted' | 'denied' | 'pending';
export const STATES: Consent[] = ['granted', 'denied', 'pending'];

type Set = (state: Consent) => void;

/**
 * Listens to the consent signals a page already has and reports each answer as it comes, oldest
 * first: Shopify's Customer Privacy API, Google Consent Mode (`gtag('consent', …)` on the
 * dataLayer) and the IAB TCF v2 `__tcfapi`. Each is read now and followed from now on; none is
 * loaded or created if the page does not have it (the dataLayer excepted, which gtag itself
 * creates the same way).
 */
export function watchConsent(set: Set): void {
  const w = window as any;

  // Shopify: userCanBeTracked() now; its events when the visitor answers the banner.
  const privacy = () => w.Shopify?.customerPrivacy;
  const shopify = (allowed?: boolean) => {
    const p = privacy();
    allowed ??= p?.userCanBeTracked?.();
    if (allowed !== undefined) set(allowed ? 'granted' : p?.currentVisitorConsent?.().analytics == 'no' ? 'denied' : 'pending');
  };
  if (privacy()) shopify();
  // A Shopify shop whose theme has not loaded the API yet: load it the documented way (as klaviyo.js
  // does) and wait for its answer; if it cannot load, the shop has no consent banner to wait for.
  else if (w.Shopify?.loadFeatures) {
    set('pending');
    w.Shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], (error: unknown) => shopify(error ? true : undefined));
  }
  // Shopify dispatches these on the document, without bubbling.
  document.addEventListener('visitorConsentCollected', (e: any) => shopify(e.detail?.analyticsAllowed));
  document.addEventListener('trackingConsentAccepted', () => shopify(true));

  // Google Consent Mode: gtag pushes `arguments` objects ['consent', 'default'|'update', {…}].
  // A default of denied is the state before the visitor answered (pending); an update is their answer.
  const gcm = (entry: any) => {
    const v = entry?.[0] == 'consent' && entry[2] && (entry[2].analytics_storage || entry[2].ad_storage);
    if (v) set(v == 'granted' ? 'granted' : entry[1] == 'update' ? 'denied' : 'pending');
  };
  const layer = w.dataLayer;
  if (Array.isArray(layer)) {
    layer.forEach(gcm);
    const push = layer.push;
    layer.push = function (...entries: unknown[]) {
      entries.forEach((e) => {
        try {
          gcm(e);
        } catch {}
      });
      return push.apply(this, entries);
    };
  }

  // TCF v2: purpose 1 (store and access information on a device) decides, where GDPR applies;
  // until the CMP answers, consent is pending.
  if (typeof w.__tcfapi == 'function') set('pending'),
    w.__tcfapi('addEventListener', 2, (tc: any, ok: boolean) => {
      if (!ok || !tc) return;
      if (tc.eventStatus == 'cmpuishown') set('pending');
      else set(tc.gdprApplies === false || tc.purpose?.consents?.[1] ? 'granted' : 'denied');
    });
}

/**
 * Erases what klite keeps in this browser: cookie, storage keys, and the IndexedDB database
 * unless this page has it open (its tracker then clears the store: deleting an open database
 * would block every later open in this page).
 */
export function eraseStorage(domain?: string, open?: number): void {
  writeCookie('__kla_id', '', domain, 0);
  writeCookie('__kla_id', '', undefined, 0);
  // Each access may throw where storage is blocked (even naming localStorage does).
  try {
    for (const area of [localStorage, sessionStorage]) Object.keys(area).forEach((k) => k.startsWith('klite:') && area.removeItem(k));
  } catch {}
  try {
    open || indexedDB.deleteDatabase(DB_NAME);
  } catch {}
}
