import { guard } from '../guard';
import type { Properties } from '../types';

/** `token:name` pairs (`name` alone when the token is the name), in the order they are tried. */
const BROWSERS = 'Edg/:Edge,OPR/:Opera,SamsungBrowser/:Samsung Internet,Firefox,Chrome,Safari';
const SYSTEMS = 'Windows,Android,iPhone:iOS,iPad:iOS,CrOS:Chrome OS,Mac OS,Linux';
/** Query parameters sent besides `utm_*`, as klaviyo.js sends them. */
export const MAX_PARAMS = 10;

/** The first name whose token the user agent contains: list order decides (Edge's UA also says Chrome and Safari). */
const find = (ua: string, list: string) =>
  list
    .split(',')
    .map((e) => e.split(':'))
    .find(([token]) => ua.includes(token))
    ?.pop();

/**
 * Active on Site (`__activity__`) properties for a page view, as klaviyo.js sends them: `page`,
 * `browser`, `os`, `referrer` when it is another site, `initial_page_path` (where this page
 * view started, kept across single-page-app routes), `fragment`, `kx_present`, `utm_*` and up
 * to MAX_PARAMS other query parameters. `utm_email` and `_kx` are identifiers, not properties.
 */
export function activityProperties(url: URL, initialPath: string, referrer: string, ua: string): Properties {
  const p: Properties = {};
  let others = 0;
  url.searchParams.forEach((v, k) => {
    if (k != 'utm_email' && k != '_kx' && (/^utm_/.test(k) || others++ < MAX_PARAMS)) p[k] = v;
  });
  p.page = url.href;
  p.browser = find(ua, BROWSERS);
  p.os = find(ua, SYSTEMS);
  p.initial_page_path = initialPath;
  p.kx_present = url.searchParams.has('_kx');
  if (url.hash) p.fragment = url.hash.slice(1);
  guard(() => {
    if (new URL(referrer).host != url.host) p.referrer = referrer;
  });
  return p;
}
