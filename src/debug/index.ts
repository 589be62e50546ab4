import type { Klaviyo } from '../types';
import { watch } from './view';

/**
 * `klite/debug` for npm users: `debug(klaviyo)` prints what that tracker sees to the console, as
 * klite-debug.js does for the script tag (README "Debug a live shop"); `debug(klaviyo, false)`
 * silences it. Import it only when asked for (e.g. `import('klite/debug')` behind `?klite_debug=1`):
 * it never belongs in a shop's bundle.
 */
let on = false;
const watching = new WeakSet<Klaviyo>();
export function debug(klaviyo: Klaviyo, enable = true, extract?: unknown): void {
  on = enable;
  if (!enable || watching.has(klaviyo)) return;
  watching.add(klaviyo);
  watch(klaviyo, () => on, extract);
}
