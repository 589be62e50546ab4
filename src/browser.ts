import { createApi } from './api';
import { scriptOptions } from './config';
import { drainOrder, queued } from './drain';
import { guard } from './guard';
import type { Klaviyo, Options } from './types';
import { attempt } from './warn';
import { debugMode } from './debug-mode';

/**
 * The script-tag entry. Reads its options from its own <script>, replaces whatever stub is on the
 * page (klite's, Klaviyo's Proxy, an array, `_learnq`) and replays what those queued. Loaded a
 * second time it only passes its key on, where the first load refuses a different one.
 */
const start = (opts: Options): void => {
  const w = window as any;
  attempt(
    'could not start: ',
    () => {
      const loaded: Klaviyo | undefined = w.__klite;
      if (loaded) {
        if (opts.companyId) loaded.account(opts.companyId);
        return;
      }
      const [api, identified] = createApi(opts);
      const entries = queued([w._learnq, w._klOnsite, w.klaviyo]);
      w.__klite = w.klaviyo = api;
      // Old references to Klaviyo's stub push onto `_klOnsite`; `_learnq.push` runs synchronously from now on.
      w._klOnsite = { push: api.push };
      w._learnq = { push: api.push, isIdentified: identified };
      debugMode(api);
      api.push(...drainOrder(entries));
    },
    true,
  );
};

// Evaluating klite reads its options (its own <script> is known only then) and replaces the
// stubs: nothing that costs the browser a round trip. The rest (cookie, storage, the visitor,
// auto-capture's first look) waits for a call, or QUIET ms after load (api.ts, settle.ts).
// `window.kliteOptions` (set before the tag) takes what a script URL cannot carry, e.g. `capture.extract`.
guard(() => start({ ...scriptOptions(document.currentScript as HTMLScriptElement, location.href), ...(window as any).kliteOptions }));
