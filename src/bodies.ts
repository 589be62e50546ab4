import type { Item } from './types';

// Every request body klite sends is made here, as JSON text: JSON:API documents of Klaviyo's
// client API (the tests validate each one against Klaviyo's OpenAPI documents). The texts are
// joined rather than rebuilt: an event's text is made once a delivery pass, ahead of planning,
// and its bytes are counted once.

/**
 * An event as an element of a bulk request's `events.data`. Its last two characters close its
 * `attributes` and the event itself (JSON.stringify adds no space): `eventBody` relies on it.
 */
export const eventText = (item: Item) =>
  JSON.stringify({
    type: 'event',
    attributes: { ...item._attributes, metric: { data: { type: 'metric', attributes: { name: item._metric } } } },
  });

/** `/client/profiles`: a profile update, its identifiers over its attributes. */
export const profileBody = (item: Partial<Item>, ids: string) =>
  JSON.stringify({ data: { type: 'profile', attributes: { ...item._attributes, ...JSON.parse(ids) }, meta: item._meta } });

/** The profile a request is about, from its identifiers' JSON text: a profile update without attributes. */
export const profileRef = (ids: string) => profileBody({}, ids);

const BULK_START = '{"data":{"type":"event-bulk-create","attributes":{"profile":';
const BULK_EVENTS = ',"events":{"data":[';
const BULK_END = ']}}}}';
/** The bytes of a bulk body besides its profile and its events' texts (all ASCII). */
export const BULK_BYTES = BULK_START.length + BULK_EVENTS.length + BULK_END.length;

/** `/client/event-bulk-create`: the profile, then the events' texts joined by commas. */
export const bulkBody = (profile: string, texts: string[]) => BULK_START + profile + BULK_EVENTS + texts.join() + BULK_END;

/** `/client/events`: one event's text, opened to add the profile inside its `attributes` (see eventText). */
export const eventBody = (text: string, profile: string) => '{"data":' + text.slice(0, -2) + ',"profile":' + profile + '}}}';
