// The demo endpoint's schemas (demo/schemas.mjs) must give the verdict Klaviyo's OpenAPI
// documents give, on valid bodies and on each way a body can be wrong.
import { describe, expect, it } from 'vitest';
import { validateBody } from '../../demo/schemas.mjs';
import { conformance } from '../openapi.mjs';

const metric = (name: unknown = 'Viewed Product') => ({ data: { type: 'metric', attributes: { name } } });
const profileRef = (attributes: object = { email: 'a@example.com' }) => ({ data: { type: 'profile', attributes } });
const event = (attributes: object = {}) => ({
  data: { type: 'event', attributes: { properties: { x: 1 }, metric: metric(), profile: profileRef(), ...attributes } },
});
const bulkEntry = (attributes: object = {}) => ({
  type: 'event',
  attributes: { properties: {}, metric: metric(), unique_id: 'u1', ...attributes },
});
const bulk = (events: unknown[] = [bulkEntry()], extra: object = {}) => ({
  data: { type: 'event-bulk-create', attributes: { profile: profileRef(), events: { data: events }, ...extra } },
});
const profile = (attributes: object = { email: 'a@example.com' }, extra: object = {}) => ({
  data: { type: 'profile', attributes, ...extra },
});
const subscription = (attributes: object = {}, relationships: object = { list: { data: { type: 'list', id: 'Y6nRLr' } } }) => ({
  data: {
    type: 'subscription',
    attributes: { profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } }, ...attributes },
    relationships,
  },
});

const corpus: [string, unknown, boolean][] = [
  ['/client/events', event(), true],
  ['/client/events', event({ time: '2026-01-01T00:00:00Z', value: 9.99, value_currency: 'USD', unique_id: 'x', backfill: false }), true],
  [
    '/client/events',
    event({
      profile: profileRef({ _kx: 'tok.AbC123', location: { city: 'Boston', latitude: 1.5 }, meta: { patch_properties: { unset: 'a' } } }),
    }),
    true,
  ],
  ['/client/events', event({ time: null, value: null, unique_id: null }), true],
  ['/client/events', event({ time: 'yesterday' }), false],
  ['/client/events', event({ value: '9.99' }), false],
  ['/client/events', event({ uniqueId: 'x' }), false],
  ['/client/events', event({ profile: undefined }), false],
  ['/client/events', event({ metric: metric(42) }), false],
  ['/client/events', event({ properties: 'nope' }), false],
  ['/client/events', { data: { type: 'events', attributes: event().data.attributes } }, false],
  ['/client/events', event({ profile: profileRef({ email: 5 }) }), false],
  ['/client/events', event({ profile: profileRef({ location: { town: 'x' } }) }), false],
  ['/client/event-bulk-create', bulk(), true],
  ['/client/event-bulk-create', bulk([bulkEntry(), bulkEntry({ unique_id: 'u2', value: 3, time: '2026-02-03T04:05:06.000Z' })]), true],
  ['/client/event-bulk-create', bulk([bulkEntry()], { backfill: true }), true],
  [
    '/client/event-bulk-create',
    {
      data: {
        type: 'event-bulk-create',
        attributes: {
          profile: { data: { type: 'profile', attributes: {}, meta: { patch_properties: { append: { a: 1 } } } } },
          events: { data: [] },
        },
      },
    },
    true,
  ],
  ['/client/event-bulk-create', bulk([{ type: 'event', attributes: { metric: metric() } }]), false],
  ['/client/event-bulk-create', bulk([bulkEntry({ profile: profileRef() })]), false],
  ['/client/event-bulk-create', bulk([bulkEntry()], { events: undefined }), false],
  ['/client/event-bulk-create', bulk([{ type: 'metric', attributes: bulkEntry().attributes }]), false],
  ['/client/profiles', profile(), true],
  [
    '/client/profiles',
    profile(
      { external_id: '42', first_name: 'A', properties: { plan: 'gold' }, location: { zip: '02110' } },
      { meta: { patch_properties: { append: { skus: '1' }, unset: ['old'] } } },
    ),
    true,
  ],
  ['/client/profiles', profile({}, { id: null }), true],
  ['/client/profiles', profile({ email: 'a@example.com', meta: {} }), false],
  ['/client/profiles', profile({ favourite: 'x' }), false],
  ['/client/profiles', profile({ email: 'a@example.com' }, { meta: { patch_properties: { unset: 3 } } }), false],
  ['/client/profiles', { data: { attributes: {} } }, false],
  ['/client/subscriptions', subscription(), true],
  ['/client/subscriptions', subscription({ custom_source: 'Footer' }), true],
  ['/client/subscriptions', subscription({}, {}), false],
  ['/client/subscriptions', subscription({}, { list: { data: { type: 'list' } } }), false],
  [
    '/client/subscriptions',
    { data: { type: 'subscription', attributes: {}, relationships: { list: { data: { type: 'list', id: 'x' } } } } },
    false,
  ],
];

describe('demo endpoint schemas', () => {
  it.each(corpus.map(([path, body, valid], i) => [i, path, body, valid] as const))(
    '#%i %s agrees with the OpenAPI documents',
    (_i, path, body, valid) => {
      const strip = JSON.parse(JSON.stringify(body));
      expect(conformance(path, strip) === null, 'OpenAPI verdict').toBe(valid);
      expect(validateBody(path, strip) === null, 'demo verdict').toBe(valid);
    },
  );
});
