import type { Ids, Properties } from './types';

/** Profile attributes; the first three are identifiers. */
export const FIELDS = 'email phone_number external_id first_name last_name organization title image locale'.split(' ');
const LOCATION = 'address1 address2 city country region zip timezone latitude longitude'.split(' ');
const PATCHES = ['append', 'unappend', 'unset'];

export interface ProfileParts {
  /** JSON:API profile attributes (identifiers, fields, location, properties). */
  _attributes: Properties;
  /** `meta.patch_properties`, when `$append/$unappend/$unset` were given. */
  _meta?: Properties;
  /** The identifiers among the attributes. */
  _ids: Ids;
}

/** A string or number as trimmed text; undefined for anything else, or nothing but spaces. */
export const text = (v: unknown): string | undefined =>
  typeof v == 'string' ? v.trim() || undefined : typeof v == 'number' ? '' + v : undefined;
const some = (o: object) => Object.keys(o)[0];

/**
 * `identify()` properties → profile attributes. Current names (`email`, `first_name`, `city`,
 * `location: {…}`) and klaviyo.js's legacy ones (`$email`, `$id`, `$city`…) both work; `$append`,
 * `$unappend`, `$unset` become `meta.patch_properties`; every other key is a custom property.
 * `input` is clean()'s copy, so it holds no undefined values.
 */
export function toProfile(input: Properties): ProfileParts {
  const attributes: Properties = {};
  const location: Properties = {};
  const properties: Properties = {};
  const patch: Properties = {};
  const ids: Properties = {};
  for (const key in input) {
    const value = input[key];
    const name = key == '$id' ? 'external_id' : key.replace(/^\$/, '');
    const field = FIELDS.indexOf(name);
    if (field >= 0) {
      const given = text(value);
      if (given) {
        attributes[name] = given;
        // The first three fields are identifiers.
        if (field < 3) ids[name] = given;
      }
    } else if (LOCATION.includes(name)) location[name] = value;
    else if (key != name && PATCHES.includes(name)) patch[name] = value;
    else if (key == 'location') Object.assign(location, value);
    else properties[key] = value;
  }
  if (some(location)) attributes.location = location;
  if (some(properties)) attributes.properties = properties;
  return { _attributes: attributes, _ids: ids, _meta: some(patch) ? { patch_properties: patch } : undefined };
}

/** A year ahead, less a day for clock skew. */
const AHEAD = 364 * 864e5;
const Y2000 = 9466848e5;

/**
 * An event time for the API: from a Date, an ISO string or a Unix time (seconds, as Klaviyo's
 * legacy API took, or milliseconds), clamped into the window the API accepts (year 2000 to a
 * year ahead, less a day for clock skew) and truncated to the second.
 */
export function eventTime(value: unknown, now: number): string {
  let t = +(value ?? now) || Date.parse(value as string) || now;
  if (t < 1e11) t *= 1000;
  t = Math.min(Math.max(t, Y2000), now + AHEAD);
  return new Date(t - (t % 1000)).toISOString();
}

/**
 * `track()` properties → event attributes: `$value → value`, `$event_id → unique_id`,
 * `time → time`; a `unique_id` is always set, so a resend is idempotent. Like klaviyo.js, every
 * event says `$use_ip` and `$is_session_activity`.
 */
export function toEvent(input: Properties, uniqueId: string, now: number): Properties {
  const { $value, $event_id, time, ...rest } = input;
  const numeric = $value != null && $value !== '' && isFinite($value as number);
  // Undefined fields are left out of the JSON.
  return {
    properties: { ...rest, $use_ip: true, $is_session_activity: true, $value: numeric ? undefined : $value },
    value: numeric ? +($value as number) : undefined,
    time: eventTime(time, now),
    unique_id: text($event_id) || uniqueId,
  };
}
