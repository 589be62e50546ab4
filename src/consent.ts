import { readCookie } from './cookie';
import type { Consent, Options } from './types';
import { hear, tell } from './tabs';

export type { Consent };
export const STATES: Consent[] = ['granted', 'denied', 'pending'];
/** The localStorage key an answer passes through on its way to the shop's other tabs. */
const TABS_KEY = 'klite:consent';

/**
 * The consent state and its rules: the merchant's option sets where it starts; Klaviyo's
 * off-switch cookie and Global Privacy Control are refusals that only the merchant's own
 * `consent()` (`explicit`) lifts, never an automatic signal; an answer in one tab is the answer
 * in every open tab of the shop (a `storage` event). `changed` hears each new state once. Returns
 * `set`, which also answers the current state when called without one. The cookie is read on the
 * first use, not when klite loads: it costs the browser a round trip.
 */
export function createConsent(opts: Options, changed: (state: Consent) => void) {
  let sticky = false;
  let state: Consent | undefined;

  /** A new state (`heard`: from another tab); without a valid one, answers the current state. */
  const set = (next?: unknown, explicit?: unknown, heard?: boolean): Consent => {
    if (!state) {
      sticky = readCookie('__kla_off') == 'true' || (opts.gpc !== false && (navigator as any).globalPrivacyControl === true);
      state = sticky ? 'denied' : STATES.includes(opts.consent!) ? opts.consent! : 'granted';
    }
    if (STATES.includes(next as Consent) && (explicit || !sticky)) {
      // An explicit answer lifts a sticky refusal; any other gets here only when none holds.
      sticky = false;
      if (next != state) {
        state = next as Consent;
        if (!heard) tell(TABS_KEY, [next, explicit]);
        changed(state);
      }
    }
    return state;
  };

  // Listening from the start: a tab that has not needed klite yet still hears an answer given in
  // another (its first call may come after it). This costs the page's load what opening the
  // storage areas costs: Chromium opens localStorage and sessionStorage for a `storage` listener
  // (2–7 ms on a cold profile, measured); listening from the first use instead missed the answers
  // given meanwhile (e2e/consent.spec.mjs, "one tab's answer holds in every open tab").
  hear(TABS_KEY, ([next, explicit]: [Consent, boolean]) => set(next, explicit, true));

  return set;
}
