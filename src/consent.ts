import { readCookie } from './cookie';
import { guard } from './guard';
import type { Consent, Options } from './types';
import { save } from './webstore';

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
      if (explicit) sticky = false;
      if (next != state) {
        state = next as Consent;
        // Written and removed at once: the other tabs hear the write, and nothing stays behind.
        if (!heard) {
          save(TABS_KEY, [next, explicit]);
          save(TABS_KEY, undefined);
        }
        changed(state);
      }
    }
    return state;
  };

  // Listening from the start: a tab that has not needed klite yet still hears an answer given in
  // another. Not a BroadcastChannel: opening one as the page loads held Chromium's main thread
  // ~2 ms (the benchmark's median run), where a listener costs nothing.
  addEventListener('storage', (e) =>
    guard(() => {
      if (e.key == TABS_KEY && e.newValue) set(...(JSON.parse(e.newValue) as [Consent, boolean]), true);
    }),
  );

  return set;
}
