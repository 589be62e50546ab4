import type { CaptureOptions, Klaviyo } from '../types';
import { isCartAdd } from './cart';
import { createReaders, type Readers } from './readers';
import { onRoute, wrap } from './route';
import { guard } from '../guard';

/**
 * Auto-capture from the markup storefronts already have: Active on Site per page view and
 * route, Viewed Product, Added to Cart (form submits, fetch and XHR to cart endpoints), Started
 * Checkout, and identify from submitted email fields. Each can be turned off; nothing here can
 * throw into the page (every hook is guarded and calls the page's own code first).
 *
 * Installs the hooks now, as klite loads: a first click's add to cart is seen. What reads the
 * page (readers.ts) is created on the first hook that fires or at the first look, which this
 * returns for klite's start-up to make: compiling it is most of auto-capture's cost at load.
 */
export function startCapture(api: Klaviyo, o: CaptureOptions | false = {}, live: () => boolean): ((going?: boolean) => void) | undefined {
  if (!o || o.all === false) return;
  let readers: Readers | undefined;
  /** Page events run inside the page's own code paths: nothing may throw out of them, and nothing is read once consent is withdrawn. */
  const safely = (f: (r: Readers) => void) =>
    guard(() => {
      if (live()) f((readers ||= /*@__NOINLINE__*/ createReaders(api, o, safely)));
    });
  const added = (body: unknown) => safely((r) => r._added(body));

  // Identify first (capture phase, before the page's handlers can stop the event); an add to cart
  // by form only once the page's handlers let the browser submit it: a theme that prevents the
  // submit sends the add itself, through fetch or XHR, where it is seen below.
  if (o.forms !== false) addEventListener('submit', (e) => safely((r) => r._submit(e, true)), true);

  if (o.cart !== false) {
    addEventListener('submit', (e) => safely((r) => r._submit(e)));
    const fetch = window.fetch;
    if (fetch)
      window.fetch = function (this: unknown, input: any, init?: RequestInit) {
        const response = fetch.apply(this, arguments as any);
        guard(() => {
          if (/post/i.test(init?.method || input?.method) && isCartAdd(input?.url ?? input))
            response.then(
              (r: Response) => r.ok && added(init?.body),
              () => {},
            );
        });
        return response;
      };
    const xhr = XMLHttpRequest.prototype;
    wrap(xhr, 'open', (x, a) => (x.__klite = /post/i.test(a[0]) && isCartAdd(a[1])));
    wrap(xhr, 'send', (x, a) => x.__klite && x.addEventListener('load', () => x.status < 300 && added(a[0])));
  }

  // The first look (this page view, and each route from now on) is klite's start-up's to make
  // (api.ts): the hooks above listen from the start.
  const page = () => safely((r) => r._page());
  return (going?: boolean) => {
    onRoute(page);
    if (document.readyState == 'loading') addEventListener('DOMContentLoaded', page);
    else page();
    // The page is being hidden or left: its product now, not on a task it may not live to see.
    if (going && o.product !== false) safely((r) => r._view());
  };
}
