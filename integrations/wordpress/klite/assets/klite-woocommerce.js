/* global window, document, location, fetch */
// klite for WooCommerce, the browser side: hands klite (through `_learnq`) the adds to cart that
// the plugin recorded on the server, from the first place they reach this page:
// - a classic AJAX add: WooCommerce's add-to-cart.js triggers jQuery's `added_to_cart` on the body
//   with the response's fragments, where the plugin put them (`script.klite-added`);
// - a Blocks add: Blocks dispatch `wc-blocks_added_to_cart` on the body, without product data, so
//   the Store API cart is read, where the plugin put them (`extensions.klite.added`).
// Each add handed over is acknowledged in the `klite_added` cookie, so the server drops it and no
// later response or page head hands it again; its `$event_id` (fixed on the server) makes any
// repeat count once at Klaviyo all the same. Nothing here may throw into the shop's page.
(() => {
  const COOKIE = 'klite_added';
  const FRAGMENT = 'script.klite-added';
  const handed = new Set();

  /** The `$event_id`s already acknowledged (this tab or another one). */
  const acknowledged = () => {
    const m = document.cookie.match(/(?:^|;\s*)klite_added=([^;]*)/);
    return m ? m[1].split(',') : [];
  };

  /** Tracks each add not handed yet, then acknowledges it. */
  const hand = (adds) => {
    try {
      if (!Array.isArray(adds)) return;
      const done = acknowledged();
      const fresh = adds.filter((a) => a && typeof a.$event_id == 'string' && !handed.has(a.$event_id) && !done.includes(a.$event_id));
      if (!fresh.length) return;
      const q = (window._learnq = window._learnq || []);
      for (const add of fresh) {
        handed.add(add.$event_id);
        q.push(['track', 'Added to Cart', add]);
      }
      // A session cookie: ids only; the last 20 are enough for the adds the server still keeps.
      const ids = done.concat(fresh.map((a) => a.$event_id)).slice(-20);
      document.cookie = `${COOKIE}=${ids.join(',')}; path=/; SameSite=Lax${location.protocol == 'https:' ? '; Secure' : ''}`;
    } catch {}
  };

  /** The adds in an AJAX add's fragments: the JSON inside the plugin's inert script element. */
  const fromFragments = (fragments) => {
    try {
      const html = fragments && fragments[FRAGMENT];
      if (typeof html == 'string') hand(JSON.parse(html.slice(html.indexOf('>') + 1, html.lastIndexOf('<'))));
    } catch {}
  };

  /** After a Blocks add: the Store API cart (a GET needs no nonce) and its `extensions.klite`. */
  const fromStoreApi = () => {
    try {
      const url = window.kliteWoo && window.kliteWoo.cart;
      if (!url) return;
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        .then((cart) => hand(cart && cart.extensions && cart.extensions.klite && cart.extensions.klite.added))
        .catch(() => {});
    } catch {}
  };

  // jQuery's own event system: `added_to_cart` is a jQuery event, which addEventListener never
  // sees. jQuery is a classic script where WooCommerce uses it, so it is there when this deferred
  // one runs; if a theme loads it later, bind once the page has loaded.
  let bound = false;
  const bind = () => {
    try {
      const $ = window.jQuery;
      if (bound || typeof $ != 'function') return;
      bound = true;
      $(document.body).on('added_to_cart', (event, fragments) => fromFragments(fragments));
    } catch {}
  };
  try {
    bind();
    if (!bound) window.addEventListener('load', bind);
    // Blocks dispatch on the body (not bubbling by default): listen there.
    document.body.addEventListener('wc-blocks_added_to_cart', fromStoreApi);
  } catch {}
})();
