/** How long klite lets a loaded page settle, when nothing needs it sooner, before it starts. */
export const QUIET = 3000;

/**
 * Calls `f` QUIET ms after the page's `load`. A page's load is its busiest moment, and the one its
 * speed is judged by; a tracker with nothing to send yet has no reason to take part in it. Sooner
 * when something needs klite (api.ts): a call (the page's, or auto-capture's hooks, which listen
 * from the start: a first click's add to cart is seen), or the page being hidden. Not at the first
 * input: that would put klite's start-up next to the page's answer to it.
 */
export function whenSettled(f: () => void): void {
  const later = () => setTimeout(f, QUIET);
  if (document.readyState == 'complete') later();
  else addEventListener('load', later);
}
