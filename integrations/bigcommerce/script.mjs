// klite for BigCommerce: the body of a Scripts API request (POST /stores/{store_hash}/v3/content/scripts)
// that puts klite in every storefront page's <head>. `node integrations/bigcommerce/script.mjs
// --company-id AbC123 [--visibility storefront] [--src URL] [--consent pending] [--endpoint /kl]` prints it as JSON.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { problem, snippet } from '../../dist/snippet.mjs';

const read = (path) => readFileSync(new URL('../../' + path, import.meta.url), 'utf8');

/**
 * The Scripts API payload. `kind: script_tag` (the stub and its loader, inline: the Scripts API
 * adds `html` as it is, and then takes only `load_method: default`), in the `head`, in the
 * `analytics` consent category: on a store with BigCommerce's cookie consent banner, the script
 * (so klite) loads only once the shopper allowed analytics. `all_pages` includes the checkout,
 * where klite sends Started Checkout (the app needs the `Checkout content` scope for it; use
 * `storefront` otherwise).
 */
export function bigcommerceScript({ companyId, src, consent, endpoint, visibility = 'all_pages' }) {
  const why = problem({ companyId, consent });
  if (why) throw new Error(why);
  const { version } = JSON.parse(read('package.json'));
  return {
    name: 'klite',
    description: `Klaviyo tracking by klite ${version}: identify, events, viewed products, carts and checkouts.`,
    html: snippet({ companyId, src, consent, endpoint }, read('dist/stub.min.js'), version, false).trim(),
    kind: 'script_tag',
    load_method: 'default',
    location: 'head',
    visibility,
    consent_category: 'analytics',
    auto_uninstall: true,
    enabled: true,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'company-id': { type: 'string' },
      src: { type: 'string' },
      consent: { type: 'string' },
      endpoint: { type: 'string' },
      visibility: { type: 'string' },
    },
  });
  try {
    console.log(JSON.stringify(bigcommerceScript({ ...values, companyId: values['company-id'] }), null, 2));
  } catch (e) {
    console.error('klite: ' + e.message);
    process.exitCode = 1;
  }
}
