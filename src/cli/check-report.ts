// What `klite check` found on a page, from what reached its recording endpoint and what the probe
// (check-page.ts) read there: the events klite would send, each Viewed Product field with the
// source it came from, the platform and the consent signals. Pure: check.ts does the browsing.
import type { Consent, Product } from '../types';
import type { PageReport } from './check-page';
import { SOURCES } from './sources';

/** A request klite sent to the recording endpoint: its path (`/client/events/`…) and its JSON body. */
export interface Recorded {
  path: string;
  body: any;
}

export interface SentEvent {
  metric: string;
  properties: Record<string, unknown>;
}

export interface Field {
  field: string;
  value: unknown;
  /** Where the value came from: a source's name (SOURCES), or how klite made it. */
  source: string;
}

export interface Report {
  url: string;
  /** The visitor the check identified: klite holds an anonymous visitor's events until identified. */
  visitor: string;
  activeOnSite: number;
  /** The first Viewed Product's fields and their sources, or null when none was sent. */
  viewedProduct: Field[] | null;
  /** Other events sent (an add to cart the page made itself…), by metric name. */
  otherEvents: string[];
  /** The sources that describe one product on the page, by name. */
  sources: string[];
  /** Sources that threw, with the error. */
  broken: string[];
  platform: string | null;
  consent: { signals: string[]; answers: Consent[]; state: string };
}

/** The events in klite's request bodies: `/client/events` (one) and `/client/event-bulk-create` (several). */
export function eventsOf(requests: Recorded[]): SentEvent[] {
  return requests.flatMap(({ body }) => {
    const attributes = body?.data?.attributes;
    const events =
      body?.data?.type == 'event-bulk-create' ? attributes?.events?.data || [] : body?.data?.type == 'event' ? [body.data] : [];
    return events.map((e: any) => ({ metric: e.attributes?.metric?.data?.attributes?.name, properties: e.attributes?.properties || {} }));
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each field of a sent Viewed Product with the most trusted source stating that value, as
 * readProduct merges them (capture/page.ts). What no source states is klite's own: a product id
 * taken from the SKU, the page's URL.
 */
export function attribute(sent: Record<string, unknown>, sources: PageReport['sources']): Field[] {
  // `$`-keys are klite's own event properties ($use_ip…), not the product's.
  return Object.entries(sent).flatMap(([field, value]) => {
    if (field[0] == '$') return [];
    const i = sources.findIndex((p) => p && typeof p == 'object' && same(p[field as keyof Product], value));
    const source =
      i >= 0 ? SOURCES[i] : field == 'ProductID' && same(value, sent.SKU) ? 'its SKU' : field == 'URL' ? 'the page URL' : 'klite';
    return [{ field, value, source }];
  });
}

/** The report of a check: `requests` reached the endpoint, `page` is the probe's answer, `state` klite's consent state at the end. */
export function report(url: string, visitor: string, requests: Recorded[], page: PageReport, state: string): Report {
  const events = eventsOf(requests);
  const viewed = events.find((e) => e.metric == 'Viewed Product');
  return {
    url,
    visitor,
    activeOnSite: events.filter((e) => e.metric == '__activity__').length,
    viewedProduct: viewed ? attribute(viewed.properties, page.sources) : null,
    otherEvents: events.map((e) => e.metric).filter((m) => m != '__activity__' && m != 'Viewed Product'),
    sources: page.sources.flatMap((p, i) => (p && typeof p == 'object' ? [SOURCES[i]] : [])),
    broken: page.sources.flatMap((p, i) => (typeof p == 'string' ? [`${SOURCES[i]}: ${p}`] : [])),
    platform: page.platform || null,
    consent: { signals: page.signals, answers: page.answers, state },
  };
}

const show = (v: unknown) => (typeof v == 'string' ? v : JSON.stringify(v));

/** The report for people: short lines, what was sent first, then why something was not. */
export function format(r: Report): string {
  const lines = [`klite check ${r.url}`];
  lines.push(`Platform: ${r.platform || 'none recognised'}`);
  const answers = r.consent.answers.length ? ` (${r.consent.answers.join(' → ')})` : '';
  lines.push(`Consent signals: ${r.consent.signals.join(', ') || 'none found'}${answers}; klite's consent state: ${r.consent.state}`);
  lines.push(`Product sources on the page: ${r.sources.join(', ') || 'none'}`);
  for (const b of r.broken) lines.push(`  a source failed: ${b}`);
  lines.push('');
  lines.push(
    `What klite would send (a placeholder visitor, ${r.visitor}, was identified: klite holds an anonymous visitor's events until identify):`,
  );
  lines.push(r.activeOnSite ? `  Active on Site` : `  Active on Site: not sent`);
  if (r.viewedProduct) {
    lines.push('  Viewed Product');
    const width = Math.max(...r.viewedProduct.map((f) => f.field.length));
    for (const f of r.viewedProduct) lines.push(`    ${f.field.padEnd(width)}  ${show(f.value)} ← ${f.source}`);
  } else
    lines.push(
      r.sources.length
        ? '  Viewed Product: not sent'
        : '  Viewed Product: not sent (no source describes one product here: not a product page, or several products)',
    );
  for (const m of r.otherEvents) lines.push(`  ${m}`);
  if (r.consent.state != 'granted' && !r.activeOnSite && !r.viewedProduct)
    lines.push(`Nothing was sent: consent is ${r.consent.state}, and klite holds every call until the visitor agrees.`);
  return lines.join('\n') + '\n';
}
