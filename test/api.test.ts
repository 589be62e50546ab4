// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The facade alone: its tracker, auto-capture, consent signals and erasure are doubles.
const tracker = {
  cookieDomain: vi.fn(),
  flush: vi.fn(),
  track: vi.fn(() => true),
  _erase: vi.fn(),
  _hidden: vi.fn(),
  isIdentified: () => false,
};
vi.mock('../src/tracker', () => ({ createTracker: vi.fn(() => tracker) }));
/** Auto-capture's first look, which startCapture returns (its hooks listen from the start). */
const look = vi.fn();
vi.mock('../src/capture', () => ({ startCapture: vi.fn(() => look) }));
vi.mock('../src/consent-signals', () => ({ watchConsent: vi.fn() }));
vi.mock('../src/erase', () => ({ eraseStorage: vi.fn() }));
vi.mock('../src/settle', () => ({ whenSettled: vi.fn() }));
vi.mock('../src/lifecycle', () => ({ onHidden: vi.fn() }));

const { createApi } = await import('../src/api');
const { createTracker } = await import('../src/tracker');
const { eraseStorage } = await import('../src/erase');
const { startCapture } = await import('../src/capture');
const { watchConsent } = await import('../src/consent-signals');
const { whenSettled } = await import('../src/settle');
const { onHidden } = await import('../src/lifecycle');
/** What QUIET ms after load does: the signal the last instance gave settle.ts. */
const settled = () => vi.mocked(whenSettled).mock.calls.at(-1)![0]();
/** The page being hidden: what lifecycle.ts would signal the last instance. */
const hidden = () => vi.mocked(onHidden).mock.calls.at(-1)![0]();
const nextTask = () => new Promise((r) => setTimeout(r));

describe('cookie domain', () => {
  beforeEach(() => vi.clearAllMocks());

  it('is given to the tracker when it starts, so the cookie is written once, there', async () => {
    const [api] = createApi({ companyId: 'AbC123' });
    await api.cookieDomain('.shop.example');
    await nextTask();
    expect(vi.mocked(createTracker).mock.calls[0][3]).toBe('.shop.example');
    expect(tracker.cookieDomain).not.toHaveBeenCalled();
  });

  it('set after start-up, is where a refusal erases the cookie', async () => {
    const [api] = createApi({ companyId: 'AbC123' });
    await api.flush();
    await nextTask();
    await api.cookieDomain('.later.example');
    expect(tracker.cookieDomain).toHaveBeenCalledWith('.later.example');
    await api.consent('denied');
    expect(vi.mocked(eraseStorage).mock.calls.at(-1)![0]).toBe('.later.example');
  });
});

describe('start-up', () => {
  beforeEach(async () => {
    // The refusal above may reach the earlier instances a little later (a storage event).
    await new Promise((r) => setTimeout(r, 20));
    vi.clearAllMocks();
    document.cookie = '__kla_off=; max-age=0';
  });

  it('waits for something that needs it: a page that makes no call pays nothing while it loads', async () => {
    document.cookie = '__kla_off=true';
    createApi({ companyId: 'AbC123' });
    await nextTask();
    await nextTask();
    // Not even the off-switch cookie is read (its refusal would erase), nor the consent sources.
    expect(eraseStorage).not.toHaveBeenCalled();
    expect(watchConsent).not.toHaveBeenCalled();
    expect(createTracker).not.toHaveBeenCalled();
    settled();
    expect(eraseStorage).toHaveBeenCalled();
    expect(watchConsent).toHaveBeenCalledTimes(1);
    await nextTask();
    expect(createTracker).not.toHaveBeenCalled();
  });

  it('starts once the script that made the first call is done, and the call then reaches the tracker', async () => {
    const [api] = createApi({ companyId: 'AbC123' });
    const sent = api.track('Ordered', { n: 1 });
    // Not in the caller's stack; the consent sources are looked at first.
    expect(createTracker).not.toHaveBeenCalled();
    expect(watchConsent).toHaveBeenCalledTimes(1);
    // Auto-capture's hooks listen from the start; its first look comes with the tracker, after the calls that waited.
    expect(startCapture).toHaveBeenCalledTimes(1);
    expect(look).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(createTracker).toHaveBeenCalledTimes(1);
    expect(tracker.track).toHaveBeenCalledWith('Ordered', { n: 1 });
    expect(look).toHaveBeenCalledTimes(1);
    expect(tracker.track.mock.invocationCallOrder[0]).toBeLessThan(look.mock.invocationCallOrder[0]);
    expect(await sent).toBe(true);
    // A later signal changes nothing.
    settled();
    await nextTask();
    expect(createTracker).toHaveBeenCalledTimes(1);
    expect(watchConsent).toHaveBeenCalledTimes(1);
    expect(look).toHaveBeenCalledTimes(1);
  });

  it('starts at once when the page is hidden first: its page view and calls leave with it', () => {
    createApi({ companyId: 'AbC123' });
    expect(look).not.toHaveBeenCalled();
    hidden();
    expect(createTracker).toHaveBeenCalledTimes(1);
    // Told the page is going: the product is read now, not on a later task.
    expect(look).toHaveBeenCalledWith(true);
    expect(tracker._hidden).toHaveBeenCalledTimes(1);
  });
});

describe('calls held before there is a key', () => {
  beforeEach(async () => {
    await new Promise((r) => setTimeout(r, 20));
    vi.clearAllMocks();
  });

  it('reach the tracker, in order, once account() gives one', async () => {
    const [api] = createApi({});
    expect(await api.track('First')).toBe(true);
    await api.track('Second', { n: 2 });
    await nextTask();
    expect(createTracker).not.toHaveBeenCalled();
    expect(await api.account('AbC123')).toBe('AbC123');
    await Promise.resolve();
    expect(tracker.track.mock.calls).toEqual([['First'], ['Second', { n: 2 }]]);
  });
});
