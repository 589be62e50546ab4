// JSON Schemas for the bodies of Klaviyo's client endpoints, mirroring the OpenAPI documents
// (revision 2026-07-15) so the demo endpoint answers a malformed body with the 400 Klaviyo gives.
// test/endpoint-schemas.test.ts proves these agree with ../shared/klaviyo-openapi on a corpus of
// valid and invalid bodies. Closed objects (additionalProperties: false) where the documents list
// properties; free-form where they do not (event `properties`, patch operations, subscription channels).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const nullable = (schema) => ({ anyOf: [schema, { type: 'null' }] });
const str = nullable({ type: 'string' });
const closed = (properties, required = []) => ({ type: 'object', properties, required, additionalProperties: false });
const enumOf = (value) => ({ type: 'string', enum: [value] });
const coordinate = nullable({ oneOf: [{ type: 'string' }, { type: 'number' }] });

const location = nullable(
  closed({
    address1: str,
    address2: str,
    city: str,
    country: str,
    latitude: coordinate,
    longitude: coordinate,
    region: str,
    zip: str,
    timezone: str,
    ip: str,
  }),
);
const meta = nullable(
  closed({
    patch_properties: nullable(
      closed({
        append: nullable({ type: 'object' }),
        unappend: nullable({ type: 'object' }),
        unset: nullable({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }),
      }),
    ),
    patch_identifiers: nullable(closed({ append: { type: 'object' }, unappend: { type: 'object' } })),
  }),
);
const identityFields = {
  email: str,
  phone_number: str,
  external_id: str,
  anonymous_id: str,
  _kx: str,
  first_name: str,
  last_name: str,
  organization: str,
  locale: str,
  title: str,
  image: str,
  location,
  properties: nullable({ type: 'object' }),
};

/** A profile resource; Klaviyo's event endpoint puts `meta` inside `attributes`, the others beside it. */
const profile = (metaInside, extra = {}) =>
  closed(
    {
      type: enumOf('profile'),
      id: str,
      attributes: closed(metaInside ? { ...identityFields, meta, ...extra } : { ...identityFields, ...extra }),
      ...(metaInside ? {} : { meta }),
    },
    ['type', 'attributes'],
  );
const metric = closed(
  {
    data: closed({ type: enumOf('metric'), attributes: closed({ name: { type: 'string' }, service: str }, ['name']) }, [
      'type',
      'attributes',
    ]),
  },
  ['data'],
);
const eventFields = {
  properties: { type: 'object' },
  time: nullable({ type: 'string', format: 'date-time' }),
  value: nullable({ type: 'number' }),
  value_currency: str,
  unique_id: str,
  backfill: nullable({ type: 'boolean' }),
  metric,
};

export const schemas = {
  '/client/events': closed(
    {
      data: closed(
        {
          type: enumOf('event'),
          attributes: closed({ ...eventFields, profile: closed({ data: profile(true) }, ['data']) }, ['properties', 'metric', 'profile']),
        },
        ['type', 'attributes'],
      ),
    },
    ['data'],
  ),
  '/client/event-bulk-create': closed(
    {
      data: closed(
        {
          type: enumOf('event-bulk-create'),
          attributes: closed(
            {
              backfill: nullable({ type: 'boolean' }),
              profile: closed({ data: profile(false) }, ['data']),
              events: closed(
                {
                  data: {
                    type: 'array',
                    items: closed({ type: enumOf('event'), attributes: closed(eventFields, ['properties', 'metric']) }, [
                      'type',
                      'attributes',
                    ]),
                  },
                },
                ['data'],
              ),
            },
            ['profile', 'events'],
          ),
        },
        ['type', 'attributes'],
      ),
    },
    ['data'],
  ),
  '/client/profiles': closed({ data: profile(false) }, ['data']),
  '/client/subscriptions': closed(
    {
      data: closed(
        {
          type: enumOf('subscription'),
          attributes: closed(
            {
              custom_source: str,
              profile: closed(
                {
                  data: closed(
                    {
                      type: enumOf('profile'),
                      id: str,
                      attributes: closed({ ...identityFields, meta, subscriptions: nullable({ type: 'object' }) }),
                    },
                    ['type', 'attributes'],
                  ),
                },
                ['data'],
              ),
            },
            ['profile'],
          ),
          relationships: closed({ list: closed({ data: closed({ type: enumOf('list'), id: { type: 'string' } }, ['type', 'id']) }) }, [
            'list',
          ]),
        },
        ['type', 'attributes', 'relationships'],
      ),
    },
    ['data'],
  ),
};

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const compiled = Object.fromEntries(Object.entries(schemas).map(([path, schema]) => [path, ajv.compile(schema)]));

/** null when `body` is valid for `path`, else `{ detail, pointer }` as Klaviyo's 400 would carry. */
export function validateBody(path, body) {
  const validate = compiled[path];
  if (validate(body)) return null;
  const [e] = validate.errors;
  const where = e.params?.missingProperty
    ? `${e.instancePath}/${e.params.missingProperty}`
    : e.params?.additionalProperty
      ? `${e.instancePath}/${e.params.additionalProperty}`
      : e.instancePath;
  return {
    detail: `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}.`,
    pointer: where || '/',
  };
}
