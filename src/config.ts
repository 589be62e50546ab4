import type { CaptureOptions, Options } from './types';

export const DEFAULT_ENDPOINT = 'https://a.klaviyo.com';

/**
 * Options from the script tag that loaded klite, in the forms merchants already paste:
 * `klite.js?company_id=KEY`, `.../KEY/klite.js` (Klaviyo's path form), or `data-company-id`;
 * `?endpoint=` or `data-endpoint`; `?no_capture=` or `data-no-capture`, `?checkout_path=` or
 * `data-checkout-path`; `?consent=`, `?gpc=`, `?hold=` or `data-consent`, `data-gpc`, `data-hold`.
 */
export function scriptOptions(script: HTMLScriptElement | null | undefined, base: string): Options {
  if (!script) return {};
  const url = new URL(script.src, base);
  /**
   * `?some_name=` in the script URL, else its `data-some-name` attribute. No RegExp: this runs as
   * the page loads, and a page's first RegExp costs about a millisecond to set up.
   */
  const option = (name: string): string | undefined =>
    url.searchParams.get(name) || script.getAttribute('data-' + name.replaceAll('_', '-')) || undefined;
  // `no_capture=cart,forms` (or `all`) turns captures off; `checkout_path` is the shop's checkout pattern.
  const capture: CaptureOptions = { checkoutPath: option('checkout_path') };
  option('no_capture')
    ?.match(/\w+/g)
    ?.forEach((k) => (capture[k as 'all'] = false));
  return {
    capture,
    // The folder klite.js is in is read as a key only if it could be one: 6 letters or digits with
    // a capital or a digit (so `/assets/klite.js` is not a key), or a private key, so that it is refused.
    companyId: option('company_id') || url.pathname.match(/\/((?=[^/]*[A-Z0-9])[A-Za-z0-9]{6}|pk_[^/]*)\/[^/]*$/)?.[1],
    endpoint: option('endpoint'),
    consent: option('consent') as Options['consent'],
    gpc: option('gpc') != 'ignore',
    hold: option('hold') as Options['hold'],
  };
}

/**
 * '' for a public key (site ID: 6 letters and digits), 'private' for a private one (`pk_…`,
 * which must never reach a browser and must be rotated), 'invalid' for anything else.
 */
export function checkKey(key: unknown): '' | 'private' | 'invalid' {
  return /^pk_/i.test(key as string) ? 'private' : typeof key == 'string' && /^[A-Za-z0-9]{6}$/.test(key) ? '' : 'invalid';
}

/** The endpoint origin without a trailing slash. */
export const endpointOf = (value?: unknown): string => (typeof value == 'string' && value ? value : DEFAULT_ENDPOINT).replace(/\/+$/, '');
