import { guard } from './guard';

/*
 * Receipts, in first-party mode (the endpoint a path on the shop's own origin, served by klite's
 * proxy). A closing page's keepalive request names the calls it carries (their queue keys, at
 * most RECEIPT_KEYS of them); when Klaviyo accepts it, the proxy's answer sets the cookie
 * `klr_<key>.<key>…`. The page is gone by then and cannot forget those calls, so the next page
 * view would send them again; it reads the receipt and forgets them instead. The receipt names
 * the calls themselves, so nothing is kept in the browser meanwhile; the proxy clears it on the
 * next request that carries it.
 */

/** A receipt is a cookie, sent with the shop's requests until the proxy clears it: 50 keys are about 1.3 KB. */
export const RECEIPT_KEYS = 50;

/** The calls of every receipt the page can see (a call forgotten twice is no harm: keys are never reused). */
export const receipted = (): string[] =>
  guard(() => document.cookie.match(/klr_[\w.]+/g)?.flatMap((receipt) => receipt.slice(4).split('.'))) || [];
