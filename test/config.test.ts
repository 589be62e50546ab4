import { describe, expect, it } from 'vitest';
import { checkKey, endpointOf, scriptOptions } from '../src/config';

/** A <script> with `src` and data attributes given as `dataset` names (`companyId` is `data-company-id`). */
const script = (src: string, data: Record<string, string> = {}) =>
  ({
    src,
    getAttribute: (n: string) => data[n.slice(5).replace(/-(.)/g, (_, c: string) => c.toUpperCase())] ?? null,
  }) as unknown as HTMLScriptElement;
const base = 'https://shop.example/';

describe('scriptOptions', () => {
  it('reads company_id and endpoint from the query', () => {
    expect(scriptOptions(script('https://cdn.example/klite.js?company_id=AbC123&endpoint=http://127.0.0.1:1'), base)).toEqual({
      companyId: 'AbC123',
      endpoint: 'http://127.0.0.1:1',
      capture: {},
      gpc: true,
    });
  });
  it("reads Klaviyo's path form", () => {
    expect(scriptOptions(script('https://cdn.example/onsite/js/XyZ9ab/klite.js'), base).companyId).toBe('XyZ9ab');
    expect(scriptOptions(script('https://cdn.example/pk_secret/klite.js'), base).companyId).toBe('pk_secret');
  });
  it('does not take an ordinary folder for a key', () => {
    expect(scriptOptions(script('https://cdn.example/assets/klite.js'), base).companyId).toBeUndefined();
    expect(scriptOptions(script('/static/klite.js'), base).companyId).toBeUndefined();
  });
  it('reads data attributes; the query wins', () => {
    expect(scriptOptions(script('/klite.js', { companyId: 'Dat123', endpoint: 'http://x' }), base)).toEqual({
      companyId: 'Dat123',
      endpoint: 'http://x',
      capture: {},
      gpc: true,
    });
    expect(scriptOptions(script('/klite.js?company_id=Qry123', { companyId: 'Dat123' }), base).companyId).toBe('Qry123');
  });
  it('turns captures off with no_capture / data-no-capture, and reads the checkout path', () => {
    expect(scriptOptions(script('/klite.js?no_capture=cart,forms&checkout_path=^/kasse'), base).capture).toEqual({
      cart: false,
      forms: false,
      checkoutPath: '^/kasse',
    });
    expect(scriptOptions(script('/klite.js', { noCapture: 'all', checkoutPath: '/pay' }), base).capture).toEqual({
      all: false,
      checkoutPath: '/pay',
    });
  });
  it('reads the consent options: initial state, Global Privacy Control, holding in storage', () => {
    expect(scriptOptions(script('/klite.js?consent=pending&gpc=ignore&hold=storage'), base)).toMatchObject({
      consent: 'pending',
      gpc: false,
      hold: 'storage',
    });
    expect(scriptOptions(script('/klite.js', { consent: 'denied', gpc: 'ignore' }), base)).toMatchObject({ consent: 'denied', gpc: false });
    expect(scriptOptions(script('/klite.js', { gpc: 'honour' }), base).gpc).toBe(true);
  });
  it('gives nothing without a script', () => {
    expect(scriptOptions(null, base)).toEqual({});
  });
});

describe('checkKey', () => {
  it('accepts public keys, refuses private ones and anything else', () => {
    expect(checkKey('AbC123')).toBe('');
    expect(checkKey('pk_abc')).toBe('private');
    expect(checkKey('PK_abc')).toBe('private');
    expect(checkKey('AbC1234')).toBe('invalid');
    expect(checkKey('')).toBe('invalid');
    expect(checkKey(123456)).toBe('invalid');
    expect(checkKey(undefined)).toBe('invalid');
  });
});

describe('endpointOf', () => {
  it("defaults to Klaviyo's and drops a trailing slash", () => {
    expect(endpointOf()).toBe('https://a.klaviyo.com');
    expect(endpointOf('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
  });
});
