// The paste-able block for any platform that takes head HTML (Wix, Squarespace, Magento's
// "Scripts and Style Sheets", a theme's <head>): klite's stub, which queues calls at once and
// loads klite.js itself, with the options in klite.js's URL, where klite reads them.

export interface SnippetOptions {
  companyId: string;
  /** Where klite.js is served; default the npm CDN's copy of this version. */
  src?: string;
  /** `pending`: nothing is stored or sent before the visitor's answer (README, Privacy & consent). */
  consent?: string;
  /** A first-party endpoint (`/kl`) or another API origin. */
  endpoint?: string;
  /** Capture kinds turned off, e.g. `cart,forms` (or `all`). */
  noCapture?: string;
}

/** The CDN copy of a published version (jsDelivr serves every npm package). */
export const cdnUrl = (version: string) => `https://cdn.jsdelivr.net/npm/klite@${version}/dist/klite.js`;

/** Why `options` cannot make a working snippet, or '' when they can. */
export function problem(o: SnippetOptions): string {
  if (/^pk_/i.test(o.companyId))
    return 'that is a private API key: it must never reach a browser. Use the public key (site ID), and rotate this one.';
  if (!/^[A-Za-z0-9]{6}$/.test(o.companyId || '')) return '--company-id takes the public API key (site ID): 6 letters or digits.';
  if (o.consent && !['granted', 'pending', 'denied'].includes(o.consent)) return '--consent is granted, pending or denied.';
  return '';
}

/** The block: a comment saying what it is (unless `comment` is false), then the stub loading klite.js with its options. */
export function snippet(o: SnippetOptions, stub: string, version: string, comment = true): string {
  const url = new URL(o.src || cdnUrl(version));
  url.searchParams.set('company_id', o.companyId);
  if (o.consent) url.searchParams.set('consent', o.consent);
  if (o.endpoint) url.searchParams.set('endpoint', o.endpoint);
  if (o.noCapture) url.searchParams.set('no_capture', o.noCapture);
  const placeholder = '"https://cdn.example.com/klite.js?company_id=PUBLIC_KEY"';
  if (!stub.includes(placeholder)) throw new Error('the built stub does not name its placeholder URL');
  // The URL as a JS string in an HTML <script>: JSON quoting, and no "</" that could end the element.
  const src = JSON.stringify(url.href).replace(/</g, '\\u003c');
  return (
    (comment ? `<!-- klite ${version}: Klaviyo tracking. Options: https://www.npmjs.com/package/klite#options -->\n` : '') +
    `<script>${stub.trim().replace(placeholder, src)}</script>\n`
  );
}
