// A stand-in for Klaviyo's client API, faithful where a client can tell the difference:
// status codes and JSON:API error bodies, company_id and revision checks, body schemas
// (demo/schemas.mjs), one profile and at most 1,000 events per bulk request, a bulk request
// failing whole on a repeated unique_id, first-wins dedupe across requests, payload limits, and
// the documented rate limits. Keeps what it accepted in memory and, given a data folder, in JSON
// lines there, so it survives a restart.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateBody } from './schemas.mjs';

export const PATHS = {
  '/client/events': 'event',
  '/client/event-bulk-create': 'event-bulk-create',
  '/client/profiles': 'profile',
  '/client/subscriptions': 'subscription',
};

/** Klaviyo's documented limits (a client sees a 400 past them). */
export const LIMITS = { properties: 300, stringBytes: 100 * 1024, bodyBytes: 5 * 1024 * 1024, depth: 10, arrayItems: 4000, events: 1000 };
/** Per path: [burst per second, steady per minute], from the OpenAPI documents. */
export const RATE_LIMITS = {
  '/client/events': [350, 3500],
  '/client/event-bulk-create': [10, 150],
  '/client/profiles': [350, 3500],
  '/client/subscriptions': [350, 750],
};

let nextId = 1;
export const error = (status, detail, source, code = 'invalid') => ({
  status,
  body: {
    errors: [
      {
        id: String(nextId++),
        status,
        code,
        title: status == 429 ? 'Throttled' : status == 413 ? 'Payload too large' : 'Invalid input.',
        detail,
        source,
      },
    ],
  },
});

const identifiers = (attrs = {}) => {
  const ids = {};
  for (const k of ['email', 'phone_number', 'external_id', 'anonymous_id', '_kx']) if (attrs[k]) ids[k] = attrs[k];
  return ids;
};
const profileKey = (ids) => ids.email || ids.phone_number || ids.external_id || ids._kx || ids.anonymous_id;

/** The first way `value` breaks a payload limit, as a pointer and a detail; null when none. */
function overLimit(value, pointer, depth = 0) {
  if (typeof value === 'string')
    return Buffer.byteLength(value) > LIMITS.stringBytes ? [pointer, `Strings are limited to ${LIMITS.stringBytes} bytes.`] : null;
  if (!value || typeof value !== 'object') return null;
  if (depth >= LIMITS.depth) return [pointer, `Properties may be nested at most ${LIMITS.depth} levels.`];
  if (Array.isArray(value) && value.length > LIMITS.arrayItems) return [pointer, `Arrays are limited to ${LIMITS.arrayItems} items.`];
  for (const [k, v] of Object.entries(value)) {
    const found = overLimit(v, `${pointer}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** 400 reasons for one event's attributes (properties count, sizes, time window). */
function eventLimits(attrs, pointer, now) {
  const count = Object.keys(attrs.properties || {}).length;
  if (count > LIMITS.properties)
    return error(400, `An event may have at most ${LIMITS.properties} properties; this one has ${count}.`, {
      pointer: pointer + '/properties',
    });
  const found = overLimit(attrs.properties, pointer + '/properties');
  if (found) return error(400, found[1], { pointer: found[0] });
  if (attrs.time != null) {
    const t = Date.parse(attrs.time);
    if (!(t >= Date.UTC(2000, 0, 1)) || t > now + 365 * 864e5)
      return error(400, 'The event time must be after 2000-01-01 and at most one year ahead.', { pointer: pointer + '/time' });
  }
  return null;
}

/** Fixed one-second and one-minute windows per account and path. */
function createRateLimiter(limits) {
  const windows = new Map();
  return (companyId, path, now) => {
    const [burst, steady] = limits[path] || [Infinity, Infinity];
    const key = companyId + path;
    const w = windows.get(key) || { second: 0, inSecond: 0, minute: 0, inMinute: 0 };
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60000);
    if (w.second !== second) Object.assign(w, { second, inSecond: 0 });
    if (w.minute !== minute) Object.assign(w, { minute, inMinute: 0 });
    windows.set(key, w);
    if (w.inSecond >= burst) return 1;
    if (w.inMinute >= steady) return Math.ceil((minute + 1) * 60 - now / 1000);
    w.inSecond++;
    w.inMinute++;
    return 0;
  };
}

export function createKlaviyo({ dataDir, rateLimits = RATE_LIMITS } = {}) {
  const state = { requests: [], events: [], profiles: new Map(), seen: new Set(), counters: { accepted: 0, rejected: 0, duplicate: 0 } };
  const limited = createRateLimiter(rateLimits || {});
  const file = (name) => dataDir && join(dataDir, name + '.jsonl');
  const persist = (name, record) => dataDir && appendFileSync(file(name), JSON.stringify(record) + '\n');

  const upsertProfile = (attrs, meta, save = true) => {
    const ids = identifiers(attrs);
    const key = profileKey(ids);
    if (!key) return null;
    const profile = state.profiles.get(key) || { key, attributes: {}, properties: {}, updates: 0 };
    const { properties, location, meta: innerMeta, ...rest } = attrs;
    Object.assign(profile.attributes, rest);
    if (location) profile.attributes.location = { ...(profile.attributes.location || {}), ...location };
    Object.assign(profile.properties, properties || {});
    const patch = (meta || innerMeta)?.patch_properties;
    if (patch) profile.patch = [...(profile.patch || []), patch];
    profile.updates++;
    profile.updated = Date.now();
    state.profiles.set(key, profile);
    if (save) persist('profiles', { attrs, meta });
    return profile;
  };

  const addEvent = (event) => {
    state.events.push(event);
    state.seen.add(event.dedupe);
    state.counters[event.duplicate ? 'duplicate' : 'accepted']++;
  };

  const acceptEvent = (attrs, profileAttrs, requestId) => {
    const ids = identifiers(profileAttrs);
    const metric = attrs.metric.data.attributes.name;
    // Without a unique_id Klaviyo uses the time to the second.
    const dedupe = JSON.stringify([profileKey(ids), metric, attrs.unique_id ?? attrs.time ?? new Date().toISOString().slice(0, 19)]);
    const duplicate = state.seen.has(dedupe);
    if (!duplicate) upsertProfile(profileAttrs);
    const event = {
      metric,
      profile: ids,
      properties: attrs.properties,
      time: attrs.time,
      value: attrs.value,
      unique_id: attrs.unique_id,
      request: requestId,
      received: Date.now(),
      duplicate,
      dedupe,
    };
    addEvent(event);
    persist('events', event);
  };

  // A restart keeps what was accepted: events (and so dedupe), profiles, requests.
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const lines = (name) =>
      existsSync(file(name))
        ? readFileSync(file(name), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
    lines('events').forEach(addEvent);
    lines('profiles').forEach(({ attrs, meta }) => upsertProfile(attrs, meta, false));
    state.requests.push(...lines('requests'));
  }

  /** Records a request (kept for the inspector and the tests). */
  const record = (r) => {
    r.id = state.requests.length;
    state.requests.push(r);
    return r;
  };
  const done = (r, out) => {
    r.status = out.status;
    if (out.status >= 400) {
      state.counters.rejected++;
      r.error = out.body?.errors?.[0]?.detail;
    }
    persist('requests', { ...r, body: r.body.length > 20000 ? r.body.slice(0, 20000) + '…' : r.body });
    return out;
  };

  /** Handles one POST to a client path; returns { status, body? }. */
  function handle(path, query, headers, raw, r) {
    const clean = path.replace(/\/+$/, '');
    const type = PATHS[clean];
    if (!type) return error(404, 'Not found: ' + path, { pointer: '' }, 'not_found');
    const companyId = query.get('company_id');
    if (!companyId) return error(400, 'company_id is required.', { parameter: 'company_id' });
    if (/^pk_/i.test(companyId))
      return error(
        400,
        'Private API keys must never be used in a browser: use your public API key (site ID), and rotate the exposed private key.',
        { parameter: 'company_id' },
      );
    if (!/^[A-Za-z0-9]{6}$/.test(companyId)) return error(400, 'company_id is not a valid public API key.', { parameter: 'company_id' });
    if (!headers.revision) return error(400, 'The revision header is required.', { parameter: 'revision' });
    const now = Date.now();
    const wait = limited(companyId, clean, now);
    if (wait) return { ...error(429, `Rate limit for ${clean} exceeded.`, { pointer: '' }, 'throttled'), retryAfter: wait };
    if (Buffer.byteLength(raw) > LIMITS.bodyBytes)
      return error(413, `Request bodies are limited to ${LIMITS.bodyBytes} bytes.`, { pointer: '/' }, 'too_large');
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return error(400, 'Malformed JSON body.', { pointer: '/' });
    }
    const invalid = validateBody(clean, body);
    if (invalid) return error(400, invalid.detail, { pointer: invalid.pointer });
    const attrs = body.data.attributes;
    if (r) r.type = type;

    if (type === 'event') {
      const profile = attrs.profile.data.attributes;
      if (!profileKey(identifiers(profile)))
        return error(400, 'A profile identifier is required.', { pointer: '/data/attributes/profile' });
      const over = eventLimits(attrs, '/data/attributes', now);
      if (over) return over;
      acceptEvent(attrs, profile, r?.id);
    } else if (type === 'event-bulk-create') {
      const profile = { ...attrs.profile.data.attributes, meta: attrs.profile.data.meta };
      const events = attrs.events.data;
      if (!profileKey(identifiers(profile)))
        return error(400, 'A profile identifier is required.', { pointer: '/data/attributes/profile' });
      if (!events.length || events.length > LIMITS.events)
        return error(400, `A bulk request carries 1 to ${LIMITS.events} events.`, { pointer: '/data/attributes/events/data' });
      const pairs = new Set();
      for (const [i, e] of events.entries()) {
        const pointer = `/data/attributes/events/data/${i}/attributes`;
        const over = eventLimits(e.attributes, pointer, now);
        if (over) return over;
        if (e.attributes.unique_id != null) {
          const pair = e.attributes.metric.data.attributes.name + '\n' + e.attributes.unique_id;
          if (pairs.has(pair))
            return error(
              400,
              `unique_id ${e.attributes.unique_id} is repeated for one profile and metric in this request; no event was processed.`,
              { pointer: pointer + '/unique_id' },
              'duplicate_unique_id',
            );
          pairs.add(pair);
        }
      }
      for (const e of events) acceptEvent(e.attributes, profile, r?.id);
    } else if (type === 'profile') {
      if (!upsertProfile(attrs, body.data.meta)) return error(400, 'A profile identifier is required.', { pointer: '/data/attributes' });
      state.counters.accepted++;
    } else {
      if (!upsertProfile(attrs.profile.data.attributes))
        return error(400, 'A profile identifier is required.', { pointer: '/data/attributes/profile' });
      state.counters.accepted++;
    }
    return { status: 202 };
  }

  return { state, handle, record, done };
}
