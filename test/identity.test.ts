import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentity, isIdentified, publicIdentity } from '../src/identity';

/** Just enough of a browser: document.cookie, location, localStorage and sessionStorage. */
function fakeBrowser(protocol = 'https:') {
  const jar: string[] = [];
  const storage = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
      m,
    };
  };
  const g = globalThis as any;
  g.document = {
    get cookie() {
      return jar.map((c) => c.split(';')[0]).join('; ');
    },
    set cookie(c: string) {
      const name = c.split('=')[0];
      const i = jar.findIndex((x) => x.startsWith(name + '='));
      if (i >= 0) jar[i] = c;
      else jar.push(c);
    },
  };
  g.location = { protocol };
  g.localStorage = storage();
  g.sessionStorage = storage();
  return jar;
}

const url = (q = '') => new URL('https://shop.example/p' + q);

describe('identity', () => {
  let jar: string[];
  beforeEach(() => (jar = fakeBrowser()));
  afterEach(() => {
    for (const k of ['document', 'location', 'localStorage', 'sessionStorage']) delete (globalThis as any)[k];
  });

  it('writes a klaviyo.js-compatible __kla_id cookie with SameSite=Lax and Secure on https', () => {
    const id = createIdentity('AbC123', url());
    expect(jar[0]).toMatch(/^__kla_id=[^;]+;path=\/;max-age=63072000;SameSite=Lax;Secure$/);
    expect(JSON.parse(atob(jar[0].split(';')[0].slice(9)))).toEqual({ cid: id[0]._cid });
  });

  it("reuses klaviyo.js's client id", () => {
    (globalThis as any).document.cookie = '__kla_id=' + btoa(JSON.stringify({ cid: 'fromKlaviyo', $referrer: 'x' }));
    expect(createIdentity('AbC123', url())[0]._cid).toBe('fromKlaviyo');
  });

  it('keeps identifiers in localStorage, never in the cookie, and across page views', () => {
    const id = createIdentity('AbC123', url());
    id[1]({ email: 'sarah@example.com' });
    id[1]({ external_id: '42' });
    expect(jar.join()).not.toContain('sarah');
    expect(createIdentity('AbC123', url())[0]._ids).toEqual({ email: 'sarah@example.com', external_id: '42', _kx: undefined });
  });

  it('an identifier contradicting a known one means another person', () => {
    const id = createIdentity('AbC123', url());
    id[1]({ email: 'a@example.com', external_id: '1' });
    id[1]({ email: 'b@example.com' });
    expect(publicIdentity(id[0]._ids)).toEqual({ email: 'b@example.com' });
  });

  it("takes an email link's _kx for this account only, for the session", () => {
    expect(createIdentity('AbC123', url('?_kx=tok.Other1'))[0]._ids._kx).toBeUndefined();
    const id = createIdentity('AbC123', url('?_kx=tok.AbC123'));
    expect(id[0]._ids._kx).toBe('tok.AbC123');
    expect(isIdentified(id[0]._ids)).toBe(true);
    expect(publicIdentity(id[0]._ids)).toEqual({});
    expect(createIdentity('AbC123', url())[0]._ids._kx).toBe('tok.AbC123');
  });

  it('cookieDomain rewrites the cookie for that domain; reset forgets everything', () => {
    const id = createIdentity('AbC123', url('?_kx=tok.AbC123'));
    id[1]({ email: 'a@example.com' });
    expect(id[2]('.shop.example')).toBe('.shop.example');
    expect(jar[0]).toContain(';domain=.shop.example');
    const cid = id[0]._cid;
    id[3]();
    expect(id[0]._cid).not.toBe(cid);
    expect(createIdentity('AbC123', url())[0]._ids).toEqual({ _kx: undefined });
  });

  it('writes the cookie once, on the domain it is given, and again when the domain changes', () => {
    const writes: string[] = [];
    const cookie = Object.getOwnPropertyDescriptor((globalThis as any).document, 'cookie')!;
    Object.defineProperty((globalThis as any).document, 'cookie', {
      get: cookie.get,
      set: (c: string) => (writes.push(c), cookie.set!(c)),
    });
    const id = createIdentity('AbC123', url(), '.shop.example');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain(';domain=.shop.example');
    expect(id[2]()).toBe('.shop.example');
    id[2]('.other.example');
    expect(writes[1]).toContain(';domain=.other.example');
  });

  it('omits Secure on http', () => {
    jar = fakeBrowser('http:');
    createIdentity('AbC123', url());
    expect(jar[0]).not.toContain('Secure');
  });
});
