import { describe, expect, it } from 'vitest';
import { eventTime, toEvent, toProfile } from '../src/attributes';

describe('toProfile', () => {
  it('maps current names, location fields and custom properties', () => {
    expect(
      toProfile({ email: ' sarah@example.com ', first_name: 'Sarah', city: 'Boston', location: { zip: '02110' }, plan: 'gold' }),
    ).toEqual({
      _attributes: {
        email: 'sarah@example.com',
        first_name: 'Sarah',
        location: { city: 'Boston', zip: '02110' },
        properties: { plan: 'gold' },
      },
      _ids: { email: 'sarah@example.com' },
    });
  });

  it("maps klaviyo.js's legacy $ names, $id to external_id", () => {
    const { _attributes: a, _ids: ids } = toProfile({
      $email: 'a@b.co',
      $phone_number: '+15005550006',
      $id: 42,
      $first_name: 'A',
      $last_name: 'B',
      $organization: 'O',
      $title: 'T',
      $image: 'i.png',
      $locale: 'en-US',
      $address1: '1 St',
      $address2: 'Fl 2',
      $city: 'C',
      $country: 'US',
      $region: 'MA',
      $zip: '1',
      $timezone: 'UTC',
      $source: 'web',
    });
    expect(ids).toEqual({ email: 'a@b.co', phone_number: '+15005550006', external_id: '42' });
    expect(a).toEqual({
      email: 'a@b.co',
      phone_number: '+15005550006',
      external_id: '42',
      first_name: 'A',
      last_name: 'B',
      organization: 'O',
      title: 'T',
      image: 'i.png',
      locale: 'en-US',
      location: { address1: '1 St', address2: 'Fl 2', city: 'C', country: 'US', region: 'MA', zip: '1', timezone: 'UTC' },
      properties: { $source: 'web' },
    });
  });

  it('turns $append/$unappend/$unset into meta.patch_properties', () => {
    expect(toProfile({ email: 'a@b.co', $append: { skus: '1' }, $unappend: { skus: '2' }, $unset: ['old'] })._meta).toEqual({
      patch_properties: { append: { skus: '1' }, unappend: { skus: '2' }, unset: ['old'] },
    });
    expect(toProfile({ append: 1 })._attributes).toEqual({ properties: { append: 1 } });
  });

  it('drops empty identifiers and undefined values', () => {
    expect(toProfile({ email: '  ', external_id: undefined, first_name: null })).toEqual({ _attributes: {}, _ids: {} });
  });
});

describe('toEvent', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0, 500);
  it('maps $value, $event_id and time; keeps the rest; adds klaviyo.js flags', () => {
    expect(toEvent({ $value: '19.99', $event_id: 'order-1', time: 1700000000, Category: 'Shoes' }, 'uid', now)).toEqual({
      properties: { Category: 'Shoes', $use_ip: true, $is_session_activity: true },
      value: 19.99,
      time: '2023-11-14T22:13:20.000Z',
      unique_id: 'order-1',
    });
  });
  it('gives every event a unique_id and the time of the call, to the second', () => {
    expect(toEvent({}, 'uid-7', now)).toMatchObject({ unique_id: 'uid-7', time: '2026-11-23T12:00:00.000Z' });
  });
  it('keeps a $value that is not a number as a property', () => {
    expect(toEvent({ $value: 'lots' }, 'u', now).properties).toMatchObject({ $value: 'lots' });
  });
});

describe('eventTime', () => {
  const now = Date.UTC(2026, 0, 1);
  it('reads seconds, milliseconds, ISO strings and Dates', () => {
    expect(eventTime(1700000000, now)).toBe('2023-11-14T22:13:20.000Z');
    expect(eventTime(1700000000123, now)).toBe('2023-11-14T22:13:20.000Z');
    expect(eventTime('2024-02-03T04:05:06.789Z', now)).toBe('2024-02-03T04:05:06.000Z');
    expect(eventTime(new Date(Date.UTC(2025, 5, 1)).toISOString(), now)).toBe('2025-06-01T00:00:00.000Z');
  });
  it('clamps into the window the API accepts, and falls back to now', () => {
    expect(eventTime('1990-01-01', now)).toBe('2000-01-01T00:00:00.000Z');
    expect(eventTime(Date.UTC(2030, 0, 1), now) < '2027-01-01').toBe(true);
    expect(eventTime('not a date', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(eventTime(undefined, now)).toBe('2026-01-01T00:00:00.000Z');
  });
});
