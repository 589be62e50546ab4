import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDelivery, STEAL_AFTER } from '../src/delivery';
import type { Queue } from '../src/queue';
import type { Entry } from '../src/requests';

const sarah = { email: 'sarah@example.com' };
const entry = (n: number): Entry => [
  'k' + n,
  { _kind: 'e', _metric: 'M', _attributes: { properties: {}, unique_id: 'u' + n }, _profile: sarah, _client: 'c', _accepted: Date.now() },
];

/** A queue double: what a delivery pass asks of the real one, counted. */
const fakeQueue = (entries: Entry[]) =>
  ({
    _sync: vi.fn(async () => {}),
    _entries: () => entries.slice(),
    _own: () => true,
    // Keys it does not hold (a receipt's for calls long gone) change nothing.
    _del: vi.fn(async (keys: string[]) => entries.splice(0, entries.length, ...entries.filter(([k]) => !keys.includes(k)))),
    _size: () => entries.length,
    _trim: vi.fn(),
    _writeNow: vi.fn(),
  }) as unknown as Queue & { _sync: ReturnType<typeof vi.fn> };

describe('delivery pass', () => {
  let online = true;
  beforeEach(() => {
    online = true;
    // Node 20 has no navigator: no Web Locks, so each pass runs at once.
    vi.stubGlobal('navigator', {
      get onLine() {
        return online;
      },
    });
    // Nor window events: what other tabs tell (tabs.ts) is not heard here.
    vi.stubGlobal('addEventListener', () => {});
  });
  afterEach(() => vi.unstubAllGlobals());

  it('does not read the queue back while backing off or offline', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 503 }));
    vi.stubGlobal('fetch', fetch);
    const queue = fakeQueue([entry(1), entry(2)]);
    const delivery = createDelivery(queue, { _cid: 'c', _ids: sarah }, 'http://x', 'AbC123', () => false);
    expect(await delivery[0]()).toBe(2);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(queue._sync).toHaveBeenCalledTimes(1);
    // Backing off after the 503: a flush now neither sends nor reads the backlog back.
    expect(await delivery[0]()).toBe(2);
    expect(queue._sync).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('offline: nothing read back, nothing sent', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 202 }));
    vi.stubGlobal('fetch', fetch);
    online = false;
    const queue = fakeQueue([entry(1)]);
    await createDelivery(queue, { _cid: 'c', _ids: sarah }, 'http://x', 'AbC123', () => false)[0]();
    expect(queue._sync).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
    expect(queue._trim).toHaveBeenCalled(); // memory is still bounded
  });

  it('sends nothing when consent is refused while the pass reads the queue back', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 202 }));
    vi.stubGlobal('fetch', fetch);
    let denied = false;
    const queue = fakeQueue([entry(1), entry(2)]);
    queue._sync.mockImplementation(async () => void (denied = true));
    await createDelivery(queue, { _cid: 'c', _ids: sarah }, 'http://x', 'AbC123', () => denied)[0]();
    expect(queue._sync).toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a refused batch whose calls can no longer be planned one by one (the visitor was reset meanwhile) waits, without an error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const visitor = { _cid: 'c', _ids: sarah as Record<string, string> };
    const anonymous = (n: number): Entry => [
      'a' + n,
      { _kind: 'e', _metric: 'M', _attributes: { properties: {}, unique_id: 'a' + n }, _client: 'c', _accepted: Date.now() },
    ];
    const fetch = vi.fn(async () => {
      // The visitor logs out while the request is on its way: the anonymous calls are nobody's now.
      visitor._cid = 'someone-new';
      visitor._ids = {};
      return new Response(JSON.stringify({ errors: [{ detail: 'bad' }] }), { status: 400 });
    });
    vi.stubGlobal('fetch', fetch);
    const queue = fakeQueue([anonymous(1), anonymous(2)]);
    await createDelivery(queue, visitor, 'http://x', 'AbC123', () => false)[0]();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.filter(([m]) => String(m).includes('delivery failed'))).toEqual([]);
    // Kept: they wait for an identity, or their TTL.
    expect(queue._del).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a hidden page sends again, with keepalive, what a request without keepalive has on its way (the browser cancels that one)', async () => {
    const sent: (boolean | undefined)[] = [];
    const fetch = vi.fn((_: unknown, init: RequestInit) => (sent.push(init.keepalive), new Promise<Response>(() => {})));
    vi.stubGlobal('fetch', fetch);
    const queue = fakeQueue([entry(1), entry(2)]);
    const delivery = createDelivery(queue, { _cid: 'c', _ids: sarah }, 'http://x', 'AbC123', () => false);
    delivery[0]();
    await vi.waitFor(() => expect(sent).toEqual([undefined]), { timeout: 5000 });
    await delivery[2]();
    expect(sent).toEqual([undefined, true]);
    // Its keepalive request outlives the page: a second hide does not send it a third time.
    await delivery[2]();
    expect(sent).toEqual([undefined, true]);
  });

  it('first party: a closing page names its calls (at most 50) for a receipt; a receipt makes the next pass forget them', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (urls.push(url), new Response(null, { status: 202 }))),
    );
    let cookie = '';
    vi.stubGlobal('document', {
      get cookie() {
        return cookie;
      },
    });
    const many = (n: number, from = 1) => Array.from({ length: n }, (_, i) => entry(from + i));
    // Closing, through the proxy: the keys ride along; past 50 calls in one request, none do.
    await createDelivery(fakeQueue(many(3)), { _cid: 'c', _ids: sarah }, '/kl', 'AbC123', () => false)[2]();
    expect(urls.pop()).toBe('/kl/client/event-bulk-create?company_id=AbC123&batch=k1.k2.k3');
    await createDelivery(fakeQueue(many(51)), { _cid: 'c', _ids: sarah }, '/kl', 'AbC123', () => false)[2]();
    expect(urls.pop()).toBe('/kl/client/event-bulk-create?company_id=AbC123');
    // Not closing, or not first party: no batch.
    await createDelivery(fakeQueue(many(2)), { _cid: 'c', _ids: sarah }, '/kl', 'AbC123', () => false)[0]();
    expect(urls.pop()).toBe('/kl/client/event-bulk-create?company_id=AbC123');
    await createDelivery(fakeQueue(many(2)), { _cid: 'c', _ids: sarah }, 'https://a.klaviyo.com', 'AbC123', () => false)[2]();
    expect(urls.pop()).toBe('https://a.klaviyo.com/client/event-bulk-create?company_id=AbC123');
    // The next page: a receipt for k1 and k2 (and one for calls long gone); only k3 is sent.
    cookie = 'a=1; klr_k1.k2=1; klr_gone=1';
    const queue = fakeQueue(many(3));
    await createDelivery(queue, { _cid: 'c', _ids: sarah }, '/kl', 'AbC123', () => false)[0]();
    expect(queue._del.mock.calls[0][0]).toEqual(['k1', 'k2', 'gone']);
    expect(urls).toEqual(['/kl/client/events?company_id=AbC123']);
  });

  it('takes the send lock from a holder that leaves a nudge unanswered (a frozen page), not before', async () => {
    const fetch = vi.fn(async () => new Response('', { status: 202 }));
    vi.stubGlobal('fetch', fetch);
    const asked: LockOptions[] = [];
    // Another page holds the lock and never lets go: only a steal gets it.
    const locks = {
      request: (_: string, options: LockOptions, f: (lock: unknown) => unknown) => (asked.push(options), f(options.steal ? {} : null)),
    };
    vi.stubGlobal('navigator', { onLine: true, locks });
    const queue = fakeQueue([entry(1)]);
    const delivery = createDelivery(queue, { _cid: 'c', _ids: sarah }, 'http://x', 'AbC123', () => false);
    const now = vi.spyOn(Date, 'now').mockReturnValue(1e12);
    for (let i = 0; i < 3; i++) expect(await delivery[0]()).toBe(1);
    now.mockReturnValue(1e12 + STEAL_AFTER);
    expect(await delivery[0]()).toBe(1);
    expect(fetch).not.toHaveBeenCalled();
    now.mockReturnValue(1e12 + STEAL_AFTER + 1);
    expect(await delivery[0]()).toBe(0);
    now.mockRestore();
    expect(asked.map((o) => !!o.steal)).toEqual([false, false, false, false, true]);
    // Held again: it asks politely first.
    await delivery[0]();
    expect(asked[5]).toEqual({ ifAvailable: true });
  });
});
