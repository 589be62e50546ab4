import { watch } from './view';

/**
 * klite-debug.js, loaded by klite.js's debug switch (src/debug-mode.ts) from beside it. Its own
 * URL's fragment says why: `#true` / `#false` from `klaviyo.debug()`, else the page's
 * `?klite_debug=1` / `=0` or the session's remembered choice.
 */
const KEY = 'klite_debug';
try {
  const why = (document.currentScript as HTMLScriptElement | null)?.src.split('#')[1];
  const asked = new URLSearchParams(location.search).get(KEY);
  const on = why == 'true' || why == '1' ? true : why == 'false' || why == '0' ? false : asked ? asked != '0' : undefined;
  if (on) sessionStorage.setItem(KEY, '1');
  else if (on === false) sessionStorage.removeItem(KEY);
  const w = window as any;
  if (!sessionStorage.getItem(KEY)) console.log('klite debug: off for this session');
  else if (!w.__kliteDebug && w.__klite) {
    w.__kliteDebug = 1;
    watch(w.__klite, () => !!sessionStorage.getItem(KEY), w.kliteOptions?.capture?.extract);
  }
} catch (e) {
  console.log('klite debug: could not start: ' + e);
}
