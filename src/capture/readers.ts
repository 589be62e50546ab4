import type { CaptureOptions, Klaviyo, Properties } from '../types';
import { load, save } from '../webstore';
import { activityProperties } from './activity';
import { addToCart, CART_KEY, cartProperties, isCartAdd, requestOf, type Cart } from './cart';
import { emailOf, ignored } from './forms';
import { readProduct } from './page';
import type { Product } from './product';
import { routeOf } from './route';
import { randomId } from '../ids';

/**
 * What auto-capture does when its hooks fire or klite takes its first look: reads the page, the
 * form or the request and tracks Active on Site, Viewed Product, Added to Cart, Started Checkout
 * and identify. Created on the first need, not when klite loads (index.ts): a page that is still
 * loading pays for the hooks only, not for compiling the readers. `safely` runs a reader from a
 * timer as index.ts runs the hooks: guarded, and only while klite may capture.
 */
export function createReaders(api: Klaviyo, o: CaptureOptions, safely: (f: (r: Readers) => void) => void) {
  const initialPath = location.pathname;
  // By default, the checkout pages of Shopify, WooCommerce, BigCommerce and Magento.
  const checkoutPath = new RegExp(o.checkoutPath || /\/checkouts?(\/|$)/);
  let route = '';
  const here = () => routeOf(location.href);
  /** This route's product as Viewed Product read it (once it was seen): an add to cart reuses it, not reading the page twice. */
  let seen: Product | undefined;

  /** The page's product; a product without its own URL is at this page's. */
  const product = (): Product | undefined => readProduct(document, window, o.extract, here());
  const cart = (): Cart => {
    const c = load<Cart>(CART_KEY);
    return Array.isArray(c?.items) ? c! : { id: randomId(), items: [] };
  };

  const readers = {
    /** Viewed Product, once per route visit (see `page`). */
    _view(): void {
      if (seen || !(seen = product())) return;
      api.track('Viewed Product', seen as Properties);
      api.trackViewedItem({
        Title: seen.ProductName,
        // readProduct has made the SKU the id when there is no other.
        ItemId: seen.ProductID,
        Categories: seen.Categories,
        ImageUrl: seen.ImageURL,
        Url: seen.URL,
        Metadata: { Brand: seen.Brand, Price: seen.Price, CompareAtPrice: seen.CompareAtPrice },
      });
    },

    /** A page view or a new route: activity, product (now, or when a headless storefront renders it), checkout. */
    _page(): void {
      const now = here();
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
            if (now == route) safely((r) => r._view());
          }, s * 1e3);
      // The stored cart is read only on a checkout page, not on every page view.
      if (o.checkout !== false && checkoutPath.test(location.pathname)) {
        const c = cart();
        if (c.items[0]) {
          api.track('Started Checkout', { $event_id: c.id, ...cartProperties(c, location.href) });
          save(CART_KEY, undefined);
        }
      }
    },

    /** An add to cart, from its request body or form: the page's product, or the product id it names. */
    _added(body: unknown): void {
      const [quantity, ProductID] = requestOf(body);
      const [next, props] = addToCart(cart(), seen || product() || { ProductID }, quantity, location.origin);
      save(CART_KEY, next);
      api.track('Added to Cart', props);
    },

    /**
     * A form submitted. In the capture phase (`capturing`, before the page's handlers can stop it):
     * an email field identifies. Once the page's handlers let the browser submit it: an add to cart
     * if it posts to the cart.
     */
    _submit(e: Event, capturing?: boolean): void {
      const form = e.target as HTMLFormElement;
      if (ignored(form)) return;
      if (capturing) {
        const email = emailOf(form);
        if (email) api.identify({ email });
      } else if (!e.defaultPrevented && (isCartAdd(form.action) || form.querySelector('[name=add-to-cart]')))
        readers._added(new FormData(form));
    },
  };
  return readers;
}

export type Readers = ReturnType<typeof createReaders>;
