import { readCookie } from './cookie';
import { guard } from './guard';
import type { Consent, Options } from './types';

export type { Consent };
export const STATES: Consent[] = ['granted', 'denied', 'pending'];

/**
 * The consent state and its rules: the merchant's option sets where it starts; Klaviyo's
 * off-switch cookie and Global Privacy Control are refusals that only the merchant's own
 * `consent()` (`explicit`) lifts, never an automatic signal; an answer in one tab is the answer
 * in every open tab of the shop (BroadcastChannel). `changed` hears each new state once. Returns
 * `set`, which also answers the current state when called without one. The cookie is read on the
 * first use, not when klite loads: it costs the browser a round trip.
 */
export function createConsent(opts: Options, changed: (state: Consent) => void) {
  let sticky = false;
  let state: Consent | undefined;
  let tabs: BroadcastChannel | undefined;

  /** A new state (`heard`: from another tab); without a valid one, answers the current state. */
  const set = (next?: unknown, explicit?: unknown, heard?: boolean): Consent => {
    if (!state) {
      sticky = readCookie('__kla_off') == 'true' || (opts.gpc !== false && (navigator as any).globalPrivacyControl === true);
      state = sticky ? 'denied' : STATES.includes(opts.consent!) ? opts.consent! : 'granted';
    }
    if (STATES.includes(next as Consent) && (explicit || !sticky)) {
      if (explicit) sticky = false;
      if (next != state) {
        state = next as Consent;
        if (!heard) tabs?.postMessage([next, explicit]);
        changed(state);
      }
    }
    return state;
  };

  // Listening from the start: a tab that has not needed klite yet still hears an answer given in another.
  guard(() => {
    tabs = new BroadcastChannel('klite-consent');
    tabs.onmessage = (e) => set(e.data[0], e.data[1], true);
  });

  return set;
}
