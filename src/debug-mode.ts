import { guard } from './guard';
import type { Klaviyo } from './types';
import { load } from './webstore';

/**
 * Debug mode's switch (README "Debug a live shop"), the only part of it in klite.js: written for
 * the fewest bytes (95 gzip). `klite_debug` in the page's URL, or remembered in sessionStorage
 * (not a `klite:` key: a consent refusal erases those), or `klaviyo.debug(on)` loads
 * klite-debug.js from beside this script; that script reads the URL parameter or `#on` in its
 * own URL, remembers or forgets the choice, and prints. Off, this costs a look at the URL and at
 * sessionStorage as klite loads (Chromium has opened it by then for consent.ts's listener).
 * Called while klite is evaluated: `document.currentScript` is klite's own <script> only then.
 */
export function debugMode(api: Klaviyo): void {
  const src = (document.currentScript as HTMLScriptElement)?.src;
  const debug = ((api as any).debug = (on?: unknown) =>
    guard(() => {
      const s = document.createElement('script');
      s.src = new URL('klite-debug.js#' + on, src) as any;
      document.head.append(s);
    }));
  if (location.search.includes('klite_debug') || load('klite_debug', true)) debug();
}
