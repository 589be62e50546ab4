import type { CaptureOptions, Klaviyo, Properties } from '../types';
import { load, save } from '../webstore';
import { activityProperties } from './activity';
import { addToCart, CART_KEY, cartProperties, isCartAdd, requestOf, type Cart } from './cart';
import { emailOf, ignored } from './forms';
import { readProduct } from './page';
import type { Product } from './product';
import { onRoute, routeOf } from './route';
import { guard } from '../guard';
import { randomId } from '../ids';

/**
 * Auto-capture from the markup storefronts already have: Active on Site per page view and
 * route, Viewed Product, Added to Cart (form submits, fetch and XHR to cart endpoints), Started
 * Checkout, and identify from submitted email fields. Each can be turned off; nothing here can
 * throw into the page (every hook is guarded and calls the page's own code first). Installs the
 * hooks now; returns the first look at the page, for klite's start-up to make.
 */
export function startCapture(api: Klaviyo, o: CaptureOptions | false = {}, live: () => boolean): ((going?: boolean) => void) | undefined {
  if (!o || o.all === false) return;
  const w = window as any;
  const initialPath = location.pathname;
  // By default, the checkout pages of Shopify, WooCommerce, BigCommerce and Magento.
  const checkoutPath = new RegExp(o.checkoutPath || /\/checkouts?(\/|$)/);
  let route = '';
  /** This route's product as Viewed Product read it (once it was seen): an add to cart reuses it, not reading the page twice. */
  let seen: Product | undefined;

  /** The page's product; a product without its own URL is at this page's. */
  const product = (): Product | undefined => readProduct(document, w, o.extract, routeOf(location.href));
  const cart = (): Cart => {
    const c = load<Cart>(CART_KEY);
    return Array.isArray(c?.items) ? c! : { id: randomId(), items: [] };
  };
  /** Page events run inside the page's own code paths: nothing may throw out of them. */
  // …and do nothing once consent is withdrawn (not even reading the page or the stored cart).
  const safe =
    <A extends unknown[]>(f: (...a: A) => unknown) =>
    (...a: A) => {
      guard(() => {
        if (live()) f(...a);
      });
    };

  /** Viewed Product, once per route visit (see `page`). */
  const view = safe(() => {
    if (seen) return;
    const p = product();
    if (!p) return;
    seen = p;
    api.track('Viewed Product', p as Properties);
    const { ProductName, ProductID, Categories, ImageURL, URL, Brand, Price, CompareAtPrice } = p;
    api.trackViewedItem({
      Title: ProductName,
      // readProduct has made the SKU the id when there is no other.
      ItemId: ProductID,
      Categories,
      ImageUrl: ImageURL,
      Url: URL,
      Metadata: { Brand, Price, CompareAtPrice },
    });
  });

  /** A page view or a new route: activity, product (now, or when a headless storefront renders it), checkout. */
  const page = () => {
    const now = routeOf(location.href);
    if (now == route) return;
    route = now;
    seen = undefined;
    if (o.activity !== false)
      api.track('__activity__', activityProperties(new URL(location.href), initialPath, document.referrer, navigator.userAgent));
    // Looks stop once this route's product was seen: a product page reads its markup once.
    // At 0, 1, 2, 4, 7 and 10 s: headless storefronts render product data late.
    if (o.product !== false)
      for (const s of [0, 1, 2, 4, 7, 10])
        setTimeout(() => {
          if (now == route) view();
        }, s * 1e3);
    // The stored cart is read only on a checkout page, not on every page view.
    const c = o.checkout !== false && checkoutPath.test(location.pathname) && cart();
    if (c && c.items[0]) {
      api.track('Started Checkout', { $event_id: c.id, ...cartProperties(c, location.href) });
      save(CART_KEY, undefined);
    }
  };

  /** An add to cart, from its request body or form: the page's product, or the product id it names. */
  const added = safe((body: unknown) => {
    const [quantity, ProductID] = requestOf(body);
    const [next, props] = addToCart(cart(), seen || product() || { ProductID }, quantity, location.origin);
    save(CART_KEY, next);
    api.track('Added to Cart', props);
  });

  // Identify first (capture phase, before the page's handlers can stop the event); an add to cart
  // by form only once the page's handlers let the browser submit it: a theme that prevents the
  // submit sends the add itself, through fetch or XHR, where it is seen below.
  if (o.forms !== false)
    addEventListener(
      'submit',
      safe((e: Event) => {
        const form = e.target as HTMLFormElement;
        const email = !ignored(form) && emailOf(form);
        if (email) api.identify({ email });
      }),
      true,
    );

  if (o.cart !== false) {
    addEventListener(
      'submit',
      safe((e: Event) => {
        const form = e.target as HTMLFormElement;
        if (!e.defaultPrevented && !ignored(form) && (isCartAdd(form.action) || form.querySelector('[name=add-to-cart]')))
          added(new FormData(form));
      }),
    );
    const fetch = w.fetch;
    if (fetch)
      w.fetch = function (this: unknown, input: any, init?: RequestInit) {
        const response = fetch.apply(this, arguments);
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
    const { open, send } = xhr;
    xhr.open = function (this: any, method: string, url: string | URL) {
      this.__klite = /post/i.test(method) && isCartAdd(url);
      return open.apply(this, arguments as any);
    };
    xhr.send = function (this: any, body?: any) {
      if (this.__klite) this.addEventListener('load', () => this.status < 300 && added(body));
      return send.apply(this, arguments as any);
    };
  }

  // The first look (this page view, and each route from now on) is klite's start-up's to make
  // (api.ts): the hooks above listen from the start, so a first click's add to cart is seen.
  const start = safe(page);
  return (going?: boolean) => {
    onRoute(start);
    if (document.readyState == 'loading') addEventListener('DOMContentLoaded', start);
    else start();
    // The page is being hidden or left: its product now, not on a task it may not live to see.
    if (going && o.product !== false) view();
  };
}
