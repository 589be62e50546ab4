/** Replaces `target[name]` with a function that calls `before` with its `this` and arguments, then the original (its result returned, what it throws thrown). */
export const wrap = (target: any, name: string, before: (self: any, args: IArguments) => void): void => {
  const original = target[name];
  target[name] = function (this: unknown) {
    before(this, arguments);
    return original.apply(this, arguments);
  };
};

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
  // `changed` runs on a later task, once the URL has changed.
  for (const name of ['pushState', 'replaceState']) wrap(history, name, later);
  addEventListener('popstate', later);
}

/** A URL as a route: the fragment counts only when it is a router's (`#/…`, `#!…`), not an anchor. */
export const routeOf = (href: string) => href.replace(/#(?![/!]).*/, '');
