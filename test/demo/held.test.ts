// The demo inspector's view of what klite holds in a browser (demo/held.mjs): its constants are
// klite's stored format, it reads klite's store without ever creating it, and it says why each
// call is still held.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as held from '../../demo/held.mjs';
import { BASE, CAP } from '../../src/backoff';
import { createIdentity } from '../../src/identity';
import { createQueue } from '../../src/queue';
import { ANONYMOUS_TTL, TTL } from '../../src/requests';
import { saveRescue } from '../../src/rescue';
import { DB_NAME, openStore } from '../../src/store';
import type { Item } from '../../src/types';
import { fakeStorage } from '../fake-storage';

const source = (file: string) => readFileSync(new URL('../../src/' + file, import.meta.url), 'utf8');

/** A stored call as the bundle stores it (mangle.json's keys). */
const stored = (over: object = {}) => ({
  k: 'e',
  m: 'Viewed Product',
  a: { properties: {}, unique_id: 'u1' },
  c: 'cid1',
  s: 1000,
  ...over,
});
const env = { cid: 'cid1', identified: false, now: 2000 };

function fakeBrowser() {
  const jar: Record<string, string> = {};
  const win = {
    indexedDB: new IDBFactory(),
    localStorage: fakeStorage(),
    sessionStorage: fakeStorage(),
    navigator: {} as Record<string, unknown>,
    location: { protocol: 'http:' },
    document: {
      get cookie() {
        return Object.entries(jar)
          .map(([k, v]) => k + '=' + v)
          .join('; ');
      },
      set cookie(c: string) {
        const [pair] = c.split(';');
        jar[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
      },
    },
  };
  for (const [k, v] of Object.entries(win)) vi.stubGlobal(k, v);
  return win;
}
afterEach(() => vi.unstubAllGlobals());

describe('the inspector reads klite’s own format', () => {
  it('names, TTLs, back-off and stored keys are those of the source', () => {
    expect(held.DB_NAME).toBe(DB_NAME);
    expect([held.ANONYMOUS_TTL, held.TTL, held.BASE, held.CAP]).toEqual([ANONYMOUS_TTL, TTL, BASE, CAP]);
    expect(source('store.ts')).toContain(`createObjectStore('${held.STORE}')`);
    expect(source('queue.ts')).toContain(`const MARK = '${held.MARK}'`);
    expect(source('identity.ts')).toContain(`IDS_KEY = '${held.IDS_KEY}'`);
    expect(source('identity.ts')).toContain(`KX_KEY = '${held.KX_KEY}'`);
    const { props } = JSON.parse(readFileSync(new URL('../../mangle.json', import.meta.url), 'utf8'));
    expect(props).toMatchObject({ $_kind: 'k', $_metric: 'm', $_attributes: 'a', $_profile: 'p', $_client: 'c', $_accepted: 's' });
  });

  it("reads the calls klite's queue stored, without its mark", async () => {
    const win = fakeBrowser();
    const queue = createQueue(openStore(), () => {});
    const item: Item = { _kind: 'e', _metric: 'Viewed Product', _attributes: {}, _client: 'c', _accepted: 1 };
    queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item);
    await vi.waitFor(() => expect(queue._size()).toBe(1));
    await queue._sync();
    const read = await held.readStore(win.indexedDB);
    expect(read).toEqual([[queue._entries()[0][0], item]]);
  });

  it('never creates the database: none there, none after a look (with databases(), and without it)', async () => {
    const idb = new IDBFactory();
    expect(await held.readStore(idb)).toBeUndefined();
    // An engine without indexedDB.databases(): the open's upgrade is aborted.
    const bare = { open: idb.open.bind(idb) } as unknown as IDBFactory;
    expect(await held.readStore(bare)).toBeUndefined();
    expect(await idb.databases()).toEqual([]);
  });

  it('reads the visitor klite keeps and the rescues of closing pages, each once, in call order', async () => {
    const win = fakeBrowser();
    const identity = createIdentity('AbC123', new URL('http://shop.test/'));
    const cid = identity[0]._cid;
    // A rescue whose call IndexedDB holds too is listed once, as stored.
    saveRescue('page1', new Map([['b', { ...stored({ c: cid, m: 'Rescued' }) } as unknown as Item]]));
    saveRescue('page2', new Map([['a', { ...stored({ c: cid, m: 'Stored' }) } as unknown as Item]]));
    const store = openStore();
    await store._put([['a', stored({ c: cid, m: 'Stored' })]]);
    let browser = await held.readHeld(() => [], win);
    expect(browser).toMatchObject({ cid, identified: false, refused: false, gpc: false, started: true });
    expect(browser.held.map((c: any) => [c.name, c.code, c.rescued])).toEqual([
      ['Stored', 'anonymous', false],
      ['Rescued', 'anonymous', true],
    ]);
    identity[1]({ email: 'a@example.com' });
    win.document.cookie = '__kla_off=true';
    win.navigator.globalPrivacyControl = true;
    browser = await held.readHeld(() => [], win);
    expect(browser).toMatchObject({ identified: true, refused: true, gpc: true });
    expect(browser.held.map((c: any) => c.code)).toEqual(['queued', 'queued']);
  });

  it('a browser where klite never ran: nothing held, not started', async () => {
    const win = fakeBrowser();
    const browser = await held.readHeld(() => [], win);
    expect(browser).toMatchObject({ held: [], started: false, cid: undefined });
    expect(await win.indexedDB.databases()).toEqual([]);
  });
});

describe('why a call is held', () => {
  it("an anonymous visitor's call, until they are identified", () => {
    const c = held.describeCall(['k1', stored()], env);
    expect(c).toMatchObject({
      key: 'k1',
      method: 'track',
      name: 'Viewed Product',
      at: 1000,
      code: 'anonymous',
      expires: 1000 + ANONYMOUS_TTL,
    });
    expect(c.why).toMatch(/until they are identified: subscribe/);
    // Identified since: it goes with the visitor's identity, and keeps for the longer TTL.
    expect(held.describeCall(['k1', stored()], { ...env, identified: true })).toMatchObject({ code: 'queued', expires: 1000 + TTL });
  });

  it("an earlier visitor's anonymous call is never sent", () => {
    expect(held.describeCall(['k1', stored({ c: 'other' })], { ...env, identified: true }).code).toBe('earlier visitor');
  });

  it('a profile update names what it sets', () => {
    const c = held.describeCall(['k1', stored({ k: 'p', m: undefined, a: { properties: { $viewed_items: [] } } })], env);
    expect(c).toMatchObject({ method: 'identify', name: 'profile update: $viewed_items', code: 'anonymous' });
  });

  it("a call for a profile: queued, backing off after failed attempts, sending, acknowledged or refused by the endpoint's record", () => {
    const mine = stored({ p: { email: 'a@example.com' } });
    expect(held.describeCall(['k', mine], env)).toMatchObject({ code: 'queued', why: 'queued: klite sends about a second after a call' });
    expect(held.describeCall(['k', mine], { ...env, now: 1000 + 60e3 }).why).toMatch(/^queued 1 min with no attempt/);
    const off = held.describeCall(['k', mine], { ...env, attempts: [{ status: 503 }, { status: 'dropped' }] });
    expect(off.code).toBe('backing off');
    expect(off.why).toMatch(/^2 attempts failed, the last with no answer: .* up to 4 s/);
    expect(held.describeCall(['k', mine], { ...env, attempts: () => [{ status: 429 }] }).why).toMatch(
      /^1 attempt failed, the last with 429/,
    );
    expect(held.describeCall(['k', mine], { ...env, attempts: [{ status: 503 }, { status: 0 }] }).code).toBe('sending');
    expect(held.describeCall(['k', mine], { ...env, attempts: [{ status: 503 }, { status: 202 }] }).code).toBe('acknowledged');
    const refused = held.describeCall(['k', mine], { ...env, attempts: [{ status: 400, error: 'bad time' }] });
    expect(refused).toMatchObject({ code: 'refused', why: 'refused by the endpoint (400: bad time): klite drops it' });
  });
});

describe('why nothing was received', () => {
  const call = (code: string) => ({ code });
  it('says what is held, and what to do about an anonymous visitor', () => {
    expect(held.whyNothing({ held: ['anonymous', 'anonymous', 'anonymous', 'anonymous'].map(call) })).toBe(
      'klite holds 4 calls for an anonymous visitor: subscribe to the newsletter or identify to send them.',
    );
    expect(held.whyNothing({ held: ['anonymous', 'backing off', 'queued'].map(call) })).toBe(
      'klite holds 1 call for an anonymous visitor: subscribe to the newsletter or identify to send them; 1 backing off after failed attempts; 1 queued.',
    );
  });

  it('says why nothing is held: a refusal, Global Privacy Control, klite not started, or all delivered', () => {
    expect(held.whyNothing({ held: [], refused: true, gpc: true, started: true })).toMatch(/^consent refused .*__kla_off/);
    expect(held.whyNothing({ held: [], gpc: true, started: true })).toMatch(/^Global Privacy Control is on/);
    expect(held.whyNothing({ held: [], started: false })).toMatch(/^klite has not started in this browser yet/);
    expect(held.whyNothing({ held: [], started: true })).toMatch(/^klite holds nothing in this browser/);
  });
});
