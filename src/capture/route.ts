/**
 * Calls `changed` after every same-document navigation of a single-page app: the Navigation
 * API's `currententrychange` where the browser has it (it covers pushState, replaceState,
 * back/forward and hash changes), else wrapped `history.pushState/replaceState` and `popstate`.
 * The caller decides whether the URL really changed.
 */
export function onRoute(changed: () => void): void {
  const later = () => setTimeout(changed);
  const navigation = (window as any).navigation;
  if (navigation) return navigation.addEventListener('currententrychange', later);
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name as 'pushState'];
    history[name as 'pushState'] = function (this: History) {
      // `changed` runs on a later task, once the URL has changed.
      later();
      return original.apply(this, arguments as any);
    };
  }
  addEventListener('popstate', later);
}

/** A URL as a route: the fragment counts only when it is a router's (`#/…`, `#!…`), not an anchor. */
export const routeOf = (href: string) => href.replace(/#(?![/!]).*/, '');
