// `klite check`'s probe, built as dist/check-page.js and run in the checked page beside klite
// (never part of klite.js): `__kliteCheck()` answers what each product source reads there, with
// exactly the readers auto-capture uses (capture/page.ts), the storefront platform the page is
// built on, and the consent signals it has.
import { eachSource } from '../capture/page';
import { watchConsent } from '../consent-signals';
import type { Consent, Product } from '../types';

export interface PageReport {
  /** Each source's product under Klaviyo's keys, in productSources' order: null when it found none, a string when it threw. */
  sources: (Product | string | null)[];
  platform?: string;
  /** The consent sources the page has, by name. */
  signals: string[];
  /** The states those signals gave klite (watchConsent's answers), oldest first. */
  answers: Consent[];
}

const w = window as any;
const has = (selector: string) => !!document.querySelector(selector);
const generator = () => (document.querySelector('meta[name=generator]') as HTMLMetaElement | null)?.content || '';

/** Each platform's own globals or markup, as its themes render them; the first that matches names the page's platform. */
const PLATFORMS: [string, () => unknown][] = [
  ['Shopify', () => w.Shopify?.shop || w.ShopifyAnalytics || has('script#shopify-features')],
  ['BigCommerce', () => w.BCData || w.stencilBootstrap || /bigcommerce/i.test(generator())],
  ['WooCommerce', () => w.wc_add_to_cart_params || w.woocommerce_params || w.wc || has('body.woocommerce, body.woocommerce-page')],
  ['Magento', () => has('script[type="text/x-magento-init"], [data-mage-init]') || w.hyva],
  ['PrestaShop', () => w.prestashop || /prestashop/i.test(generator())],
  ['Wix', () => w.wixBiSession || /wix\.com/i.test(generator())],
  ['Squarespace', () => w.Static?.SQUARESPACE_CONTEXT || w.Squarespace || /squarespace/i.test(generator())],
];

/** The consent sources watchConsent reads, as the page has them. */
const SIGNALS: [string, () => unknown][] = [
  ['Shopify Customer Privacy API', () => w.Shopify?.customerPrivacy || w.Shopify?.loadFeatures],
  ['Google Consent Mode', () => Array.isArray(w.dataLayer) && w.dataLayer.some((e: any) => e?.[0] == 'consent')],
  ['IAB TCF v2 (__tcfapi)', () => typeof w.__tcfapi == 'function'],
];

/** Whether `test` holds on this page; a page global that throws counts as absent. */
const holds = (test: () => unknown) => {
  try {
    return !!test();
  } catch {
    return false;
  }
};

// The signals' answers from the moment the probe runs (with klite, at DOMContentLoaded): klite's
// own reader of them, given a recorder in place of klite's consent state.
const answers: Consent[] = [];
let state: Consent = 'granted';
watchConsent((next) => {
  if (next) answers.push((state = next));
  return state;
});

w.__kliteCheck = (): PageReport => ({
  sources: eachSource(document, w, w.kliteOptions?.capture?.extract),
  platform: PLATFORMS.find(([, test]) => holds(test))?.[0],
  signals: SIGNALS.filter(([, test]) => holds(test)).map(([name]) => name),
  answers,
});
