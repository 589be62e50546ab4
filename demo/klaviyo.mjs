// A stand-in for Klaviyo's client API, faithful where a client can tell the difference:
// status codes, JSON:API error bodies, CORS, company_id and revision checks, one profile per
// bulk request, bulk requests failing on a repeated unique_id, first-wins dedupe across requests.
// Keeps what it accepted in memory and records every request for the tests to inspect.

const PATHS = {
  '/client/events': 'event',
  '/client/event-bulk-create': 'event-bulk-create',
  '/client/profiles': 'profile',
  '/client/subscriptions': 'subscription',
};

let nextId = 1;
const error = (status, detail, source, code = 'invalid') => ({
  status,
  body: { errors: [{ id: String(nextId++), status, code, title: status == 429 ? 'Throttled' : 'Invalid input.', detail, source }] },
});

const identifiers = (attrs = {}) => {
  const ids = {};
  for (const k of ['email', 'phone_number', 'external_id', 'anonymous_id', '_kx']) if (attrs[k]) ids[k] = attrs[k];
  return ids;
};
const profileKey = (ids) => ids.email || ids.phone_number || ids.external_id || ids._kx || ids.anonymous_id;

export function createKlaviyo() {
  const state = { requests: [], events: [], profiles: new Map(), seen: new Set(), counters: { accepted: 0, rejected: 0, duplicate: 0 } };

  const upsertProfile = (attrs, meta) => {
    const ids = identifiers(attrs);
    const key = profileKey(ids);
    if (!key) return null;
    const profile = state.profiles.get(key) || { key, attributes: {}, properties: {}, updates: 0 };
    const { properties, location, ...rest } = attrs;
    Object.assign(profile.attributes, rest);
    if (location) profile.attributes.location = { ...(profile.attributes.location || {}), ...location };
    Object.assign(profile.properties, properties || {});
    if (meta?.patch_properties) profile.patch = [...(profile.patch || []), meta.patch_properties];
    profile.updates++;
    state.profiles.set(key, profile);
    return profile;
  };

  const acceptEvent = (attrs, profileAttrs, requestId) => {
    const ids = identifiers(profileAttrs);
    const key = profileKey(ids);
    const metric = attrs.metric?.data?.attributes?.name;
    const uid = attrs.unique_id ?? attrs.time;
    const dedupe = JSON.stringify([key, metric, uid]);
    const duplicate = state.seen.has(dedupe);
    state.seen.add(dedupe);
    state.counters[duplicate ? 'duplicate' : 'accepted']++;
    if (!duplicate) upsertProfile(profileAttrs);
    const event = { metric, profile: ids, properties: attrs.properties, time: attrs.time, value: attrs.value, unique_id: attrs.unique_id, request: requestId, duplicate };
    state.events.push(event);
  };

  /** Handles one POST to a client path; returns { status, body? }. */
  function handle(path, query, headers, raw) {
    const type = PATHS[path.replace(/\/+$/, '')];
    if (!type) return error(404, 'Not found: ' + path, { pointer: '' }, 'not_found');
    const companyId = query.get('company_id');
    if (!companyId) return error(400, 'company_id is required.', { parameter: 'company_id' });
    if (/^pk_/i.test(companyId)) return error(400, 'Private API keys must never be used in a browser: use your public API key (site ID) and rotate the exposed private key.', { parameter: 'company_id' });
    if (!/^[A-Za-z0-9]{6}$/.test(companyId)) return error(400, 'company_id is not a valid public API key.', { parameter: 'company_id' });
    if (!headers.revision) return error(400, 'The revision header is required.', { parameter: 'revision' });
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return error(400, 'Malformed JSON body.', { pointer: '/' });
    }
    const data = body?.data;
    if (data?.type !== type) return error(409, `Expected data.type "${type}".`, { pointer: '/data/type' }, 'conflict');
    const attrs = data.attributes || {};
    const requestId = state.requests.length;

    if (type === 'event') {
      if (!attrs.metric?.data?.attributes?.name) return error(400, 'metric is required.', { pointer: '/data/attributes/metric' });
      const profile = attrs.profile?.data?.attributes;
      if (!profileKey(identifiers(profile))) return error(400, 'A profile identifier is required.', { pointer: '/data/attributes/profile' });
      acceptEvent(attrs, profile, requestId);
    } else if (type === 'event-bulk-create') {
      const profile = attrs.profile?.data?.attributes;
      const events = attrs.events?.data;
      if (!profileKey(identifiers(profile))) return error(400, 'A profile identifier is required.', { pointer: '/data/attributes/profile' });
      if (!Array.isArray(events) || !events.length || events.length > 1000) return error(400, 'events must hold 1 to 1000 events.', { pointer: '/data/attributes/events/data' });
      const pairs = new Set();
      for (const [i, e] of events.entries()) {
        const name = e?.attributes?.metric?.data?.attributes?.name;
        if (!name) return error(400, 'metric is required.', { pointer: `/data/attributes/events/data/${i}/attributes/metric` });
        if (e.attributes.unique_id != null) {
          const pair = name + '\n' + e.attributes.unique_id;
          if (pairs.has(pair)) return error(400, `Duplicate unique_id ${e.attributes.unique_id} for metric ${name} in one request.`, { pointer: `/data/attributes/events/data/${i}/attributes/unique_id` }, 'duplicate_unique_id');
          pairs.add(pair);
        }
      }
      for (const e of events) acceptEvent(e.attributes, profile, requestId);
    } else if (type === 'profile') {
      if (!upsertProfile(attrs, data.meta)) return error(400, 'A profile identifier is required.', { pointer: '/data/attributes' });
      state.counters.accepted++;
    } else {
      state.counters.accepted++;
    }
    return { status: 202 };
  }

  return { state, handle };
}
