// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONSENT_WAIT, watchConsent } from '../src/consent-signals';
import type { Consent } from '../src/types';

/** A consent state as api.ts keeps it: `set()` answers it, `set(state)` changes it. */
const holder = (initial: Consent = 'granted') => {
  let state = initial;
  const seen: Consent[] = [];
  const set = (next?: Consent) => {
    if (next) {
      state = next;
      seen.push(next);
    }
    return state;
  };
  return { set, seen, state: () => state };
};

afterEach(() => {
  vi.useRealTimers();
  const w = window as any;
  delete w.Shopify;
  delete w.__tcfapi;
  delete w.dataLayer;
});

describe('consent sources that never answer', () => {
  it('Shopify.loadFeatures that never calls back holds for CONSENT_WAIT, then the state klite had', () => {
    vi.useFakeTimers();
    (window as any).Shopify = { loadFeatures: vi.fn() };
    const c = holder();
    watchConsent(c.set);
    expect(c.state()).toBe('pending');
    vi.advanceTimersByTime(CONSENT_WAIT - 1);
    expect(c.state()).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(c.state()).toBe('granted');
    expect(CONSENT_WAIT).toBe(3000);
  });

  it('an answer in time stands, and the wait does not undo it; nor an answer from another source', () => {
    vi.useFakeTimers();
    let done: (error?: unknown) => void = () => {};
    (window as any).Shopify = { loadFeatures: (_: unknown, cb: typeof done) => (done = cb) };
    const c = holder();
    watchConsent(c.set);
    (window as any).Shopify.customerPrivacy = { userCanBeTracked: () => false, currentVisitorConsent: () => ({ analytics: 'no' }) };
    done();
    expect(c.state()).toBe('denied');
    vi.advanceTimersByTime(CONSENT_WAIT);
    expect(c.state()).toBe('denied');

    // A TCF CMP that never answers while Consent Mode says denied: denied holds.
    (window as any).__tcfapi = vi.fn();
    const d = holder();
    watchConsent(d.set);
    d.set('denied');
    vi.advanceTimersByTime(CONSENT_WAIT);
    expect(d.state()).toBe('denied');
  });

  it('a loadFeatures that loads no API counts as no banner', () => {
    (window as any).Shopify = { loadFeatures: (_: unknown, cb: () => void) => cb() };
    const c = holder('pending');
    watchConsent(c.set);
    expect(c.state()).toBe('granted');
  });
});

describe('platform globals that throw are each isolated', () => {
  it('loadFeatures, userCanBeTracked, __tcfapi, a dataLayer entry: nothing thrown, the other sources still heard', () => {
    vi.useFakeTimers();
    const trap = () => {
      throw new Error('trap');
    };
    const w = window as any;
    w.Shopify = { loadFeatures: trap };
    w.__tcfapi = trap;
    w.dataLayer = [Object.defineProperty({}, 0, { get: trap }), ['consent', 'default', { analytics_storage: 'denied' }]];
    const c = holder();
    expect(() => watchConsent(c.set)).not.toThrow();
    // Consent Mode was heard past the throwing entry: its default of denied is "pending".
    expect(c.seen).toContain('pending');
    w.dataLayer.push(['consent', 'update', { analytics_storage: 'granted' }]);
    expect(c.state()).toBe('granted');
    w.Shopify = { customerPrivacy: { userCanBeTracked: trap } };
    expect(() => watchConsent(holder().set)).not.toThrow();
    expect(() => document.dispatchEvent(new Event('trackingConsentAccepted'))).not.toThrow();
    vi.advanceTimersByTime(CONSENT_WAIT);
  });
});
