/**
 * Runs `f` when the page is hidden or left: `visibilitychange` is the signal mobile browsers keep
 * (iOS never fires `unload`), `pagehide` the one of a navigation; either may come, or both, or
 * several times. Never `unload`, which keeps the page out of the back/forward cache.
 */
export function onHidden(f: () => void): void {
  addEventListener('visibilitychange', () => document.hidden && f(), true);
  addEventListener('pagehide', f);
}
