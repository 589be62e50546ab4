import { createApi } from './api';
import { scriptOptions } from './config';
import { drainOrder, queued } from './drain';
import { onHidden } from './lifecycle';
import type { Klaviyo, Options } from './types';
import { warn } from './warn';

/**
 * The script-tag entry. Reads its options from its own <script>, replaces whatever stub is on the
 * page (klite's, Klaviyo's Proxy, an array, `_learnq`) and replays what those queued. Loaded a
 * second time it only passes its key on, where the first load refuses a different one.
 */
const done = () => {};

const start = (opts: Options): (() => void) => {
  const w = window as any;
  try {
    const loaded: Klaviyo | undefined = w.__klite;
    if (loaded) {
      if (opts.companyId) loaded.account(opts.companyId);
      return done;
    }
    const { _api: api, _identified, _hidden } = createApi(opts);
    const entries = [w._learnq, w._klOnsite, w.klaviyo].flatMap(queued);
    w.__klite = w.klaviyo = api;
    // Old references to Klaviyo's stub push onto `_klOnsite`; `_learnq.push` runs synchronously from now on.
    w._klOnsite = { push: api.push };
    w._learnq = { push: api.push, isIdentified: _identified };
    api.push(...drainOrder(entries));
    return _hidden;
  } catch (e) {
    warn('could not start: ' + e, true);
  }
  return done;
};

// Only the options are read while the script is evaluated (its own <script> is known only then);
// starting (cookie, storage, the visitor, auto-capture) is a task of its own, so evaluating klite
// costs the page next to nothing. Until then the stubs keep queueing, as if klite had loaded a
// task later, which an async script may always do.
try {
  // `window.kliteOptions` (set before the tag) takes what a script URL cannot carry, e.g. `capture.extract`.
  const opts = { ...scriptOptions(document.currentScript as HTMLScriptElement, location.href), ...(window as any).kliteOptions };
  let started: (() => void) | 0 = 0;
  const pending = setTimeout(() => (started = start(opts)));
  // The page hidden or left, before that task ran too (calls, then a navigation, in the page's
  // first task): start now, then send what is queued.
  onHidden(() => {
    if (!started) {
      clearTimeout(pending);
      started = start(opts);
    }
    started();
  });
} catch {}
