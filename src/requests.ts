import { BULK_BYTES, bulkBody, eventBody, eventText, profileBody, profileRef } from './bodies';
import { isIdentified, type Visitor } from './identity';
import { BUDGET, nextTask } from './tasks';
import type { Entry, Item } from './types';

export type { Entry };

/** A request: its path, its body, the calls it carries and its size in bytes. */
export type Request = [path: string, body: string, entries: Entry[], bytes: number];

/** One profile's requests, in the order they go. */
export type Group = Request[];

/** Klaviyo takes at most 1,000 events in one bulk request. */
export const MAX_EVENTS = 1000;
/** Far below Klaviyo's 5 MB, so one slow request never carries a whole backlog. */
export const MAX_BYTES = 1e6;
/** An anonymous visitor's calls wait this long for an identity, as klaviyo.js holds them. */
export const ANONYMOUS_TTL = 14 * 864e5;
/** Any call still undelivered after this long (Klaviyo unreachable for a month) is dropped. */
export const TTL = 30 * 864e5;

/**
 * UTF-8 length without allocating (a Blob per event cost 300 ms per 1,000 events in Chromium):
 * 1 byte below U+0080, 2 below U+0800, else 3; a surrogate pair counts 6 for its 4, erring large.
 */
export const bytes = (s: string) => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // One byte more from U+0080, another from U+0800.
    n += +(c > 127) + +(c > 2047);
  }
  return n;
};

/** Events' parts made in one delivery pass; dropped with it, so queued calls do not carry their JSON twice. */
export type Parts = Map<Item, [text: string, bytes: number]>;

/** A text and its size in bytes, one more for the comma that follows it. */
const sized = (text: string): [string, number] => [text, bytes(text) + 1];

/** An event call as an element of a bulk request's `events`, with its size in bytes (and a comma). */
const eventPart = (item: Item, parts: Parts) => parts.get(item) || parts.set(item, sized(eventText(item))).get(item)!;

/**
 * Makes the events' parts ahead of `plan`, at most BUDGET ms a task: made by `plan` itself, 1,000
 * events were one task of 15–50 ms.
 */
export const prepare = async (entries: Entry[]) => {
  const parts: Parts = new Map();
  let until = performance.now() + BUDGET;
  for (const [, item] of entries) {
    if (performance.now() > until) {
      await nextTask();
      until = performance.now() + BUDGET;
    }
    if (item._kind != 'p') eventPart(item, parts);
  }
  return parts;
};

const request = (path: string, body: string, entries: Entry[], n = bytes(body)): Request => ['/client/' + path, body, entries, n];

/**
 * Turns queued calls into requests, grouped by profile. An anonymous call joins the visitor's
 * profile once they are identified and waits until then (expiring after ANONYMOUS_TTL). In a
 * group, profile updates go first, one `/client/profiles` request each; events go one per
 * `/client/events`, or up to MAX_EVENTS and maxBytes per `/client/event-bulk-create`, never with
 * a metric and `unique_id` pair twice in one request (Klaviyo fails the whole request for that).
 * `parts`: the events' JSON, made ahead by `prepare` (what is missing is made here). Answers the groups, and
 * the calls expired.
 */
export function plan(
  entries: Entry[],
  visitor: Visitor,
  now: number,
  maxBytes = MAX_BYTES,
  parts: Parts = new Map(),
): [groups: Group[], expired: Entry[]] {
  const groups: Record<string, Entry[]> = {};
  const expired: Entry[] = [];
  for (const entry of entries) {
    const item = entry[1];
    const ids = item._profile || (item._client == visitor._cid && isIdentified(visitor._ids) && visitor._ids);
    if (now - item._accepted > (ids ? TTL : ANONYMOUS_TTL)) expired.push(entry);
    else if (ids) (groups[JSON.stringify(ids)] ||= []).push(entry);
  }
  const out: Group[] = [];
  for (const id in groups) {
    const profile = profileRef(id);
    const profiles: Request[] = [];
    const requests: Request[] = [];
    let chunk: Entry[] = [];
    let texts: string[] = [];
    let size = 0;
    let pairs: Record<string, 1> = {};
    const cut = () => {
      if (chunk[1]) {
        // Its size without counting the body again: the texts' sizes (each with a comma, one too many) are known.
        requests.push(request('event-bulk-create', bulkBody(profile, texts), chunk, BULK_BYTES - 1 + size + bytes(profile)));
      } else if (chunk[0]) {
        requests.push(request('events', eventBody(texts[0], profile), chunk));
      }
      chunk = [];
      texts = [];
      size = 0;
      pairs = {};
    };
    for (const entry of groups[id]) {
      const item = entry[1];
      if (item._kind == 'p') {
        profiles.push(request('profiles', profileBody(item, id), [entry]));
        continue;
      }
      const [part, n] = eventPart(item, parts);
      const pair = item._metric + '\n' + item._attributes.unique_id;
      if (chunk.length >= MAX_EVENTS || size + n > maxBytes - profile.length - 99 || pairs[pair]) cut();
      chunk.push(entry);
      texts.push(part);
      size += n;
      pairs[pair] = 1;
    }
    cut();
    // Profile updates first, so an event's flow sees the profile's new properties.
    out.push(profiles.concat(requests));
  }
  return [out, expired];
}
