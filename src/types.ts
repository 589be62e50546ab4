// Shared types: imported by the modules, importing none of them (scripts/cycles.mjs checks it).

/** The consent states; see consent.ts. */
export type Consent = 'granted' | 'denied' | 'pending';

/** The product auto-capture reads from a page, in Klaviyo's Viewed Product keys. */
export interface Product {
  ProductName?: string;
  ProductID?: string;
  SKU?: string;
  Categories?: string[];
  ImageURL?: string;
  URL?: string;
  Brand?: string;
  Price?: number;
  CompareAtPrice?: number;
  Currency?: string;
}

/** A merchant's own product reader (`capture.extract`), tried before the page's markup. */
export type Extractor = (doc: Document, win: Record<string, any>) => Product | undefined | null;

/** Auto-capture: each kind is on unless set to false. */
export interface CaptureOptions {
  /** false: no auto-capture at all (script tag: `no_capture=all`). */
  all?: boolean;
  /** Active on Site (`__activity__`) per page view and single-page-app route. */
  activity?: boolean;
  /** Viewed Product and the recently viewed list, from the page's product data. */
  product?: boolean;
  /** Added to Cart from product forms and fetch/XHR calls to cart endpoints. */
  cart?: boolean;
  /** Started Checkout on checkout pages. */
  checkout?: boolean;
  /** Identify visitors who submit a form with an email field. */
  forms?: boolean;
  /** A regular expression (source text or RegExp) for the path of this shop's checkout pages. */
  checkoutPath?: string | RegExp;
  /** The shop's own product reader, tried before the built-in ones. */
  extract?: Extractor;
}

/** Anything a merchant passes as properties; klite copies it into JSON-safe form. */
export type Properties = Record<string, unknown>;

/** Options for `init()`; each also has a script-tag form (see README). */
export interface Options {
  /** Public API key (site ID): 6 letters and digits. No default: calls are held in memory until `account(id)`. */
  companyId?: string;
  /** Origin of Klaviyo's client API. Default `https://a.klaviyo.com`. */
  endpoint?: string;
  /** Auto-capture options, or false to capture nothing automatically. Default: all on. */
  capture?: CaptureOptions | false;
  /**
   * The consent state before any signal: 'granted' (default, as klaviyo.js), 'pending' (consent
   * first: calls wait in memory, nothing is sent or stored) or 'denied'. Script tag: `?consent=` / `data-consent`.
   */
  consent?: Consent;
  /** false: do not treat Global Privacy Control as a refusal. Script tag: `?gpc=ignore` / `data-gpc="ignore"`. */
  gpc?: boolean;
  /** 'storage': while consent is pending, keep calls in IndexedDB (up to the TTL) instead of memory only. */
  hold?: 'memory' | 'storage';
}

/** The visitor as klite knows them: the identifiers, never internal ids. */
export interface Identity {
  email?: string;
  phone_number?: string;
  external_id?: string;
}

type Cb<T> = (value: T) => void;

/** `window.klaviyo` and the object `init()` returns. Every method's Promise settles; a trailing function is called with the same value. */
export interface Klaviyo {
  identify(properties: Properties, callback?: Cb<Identity>): Promise<Identity>;
  track(metric: string, properties?: Properties, callback?: Cb<boolean>): Promise<boolean>;
  trackViewedItem(item: Properties, callback?: Cb<undefined>): Promise<undefined>;
  account(id?: string, callback?: Cb<string | undefined>): Promise<string | undefined>;
  cookieDomain(domain?: string, callback?: Cb<string | undefined>): Promise<string | undefined>;
  isIdentified(callback?: Cb<boolean>): Promise<boolean>;
  /** Sends what is queued now; resolves with the number of calls still queued afterwards. */
  flush(callback?: Cb<number>): Promise<number>;
  /** Forgets the visitor (logout): identity, cookie, recently viewed items and their anonymous events. */
  reset(callback?: Cb<undefined>): Promise<undefined>;
  /**
   * Sets the visitor's consent ('granted' | 'denied' | 'pending') and resolves with the state now
   * in force; without an argument only reads it. 'denied' erases what klite stored.
   */
  consent(state?: Consent, callback?: Cb<Consent>): Promise<Consent>;
  /** `push([method, ...args, callback?])` or `push(fn)`; returns undefined. */
  push(...entries: unknown[]): undefined;
}

/** Profile identifiers as sent in JSON:API `profile.attributes`. */
export type Ids = Identity & { _kx?: string };

/**
 * One accepted call as it is stored in IndexedDB (and in localStorage rescues). The stored names
 * are a format that outlives a klite version: the build pins each field to its one-letter stored
 * key with `mangle.json` (`_kind` is stored as `k`, and so on); test/stored-format.test.ts and
 * e2e/stored-format.spec.mjs keep map, source and bundle in step.
 */
export interface Item {
  /** 'e' an event, 'p' a profile update. */
  _kind: 'e' | 'p';
  /** Metric name (events). */
  _metric?: string;
  /** JSON:API attributes: an event's `properties/time/value/unique_id`, or a profile's. */
  _attributes: Properties;
  /** Profile `meta` (patch_properties), when present. */
  _meta?: Properties;
  /** Identifiers known when the call was made; absent for an anonymous visitor. */
  _profile?: Ids;
  /** Client id (`__kla_id` cid) of the visitor who made the call. */
  _client: string;
  /** When the call was accepted (ms since epoch). */
  _accepted: number;
}

/** A queued call: its key (call order, then the page's id) and the call. */
export type Entry = [key: string, item: Item];
