// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The facade alone: its tracker, auto-capture, consent signals and erasure are doubles.
const tracker = { cookieDomain: vi.fn(), flush: vi.fn(), _erase: vi.fn(), _hidden: vi.fn(), isIdentified: () => false };
vi.mock('../src/tracker', () => ({ createTracker: vi.fn(() => tracker) }));
vi.mock('../src/capture', () => ({ startCapture: vi.fn() }));
vi.mock('../src/consent-signals', () => ({ watchConsent: vi.fn() }));
vi.mock('../src/erase', () => ({ eraseStorage: vi.fn() }));

const { createApi } = await import('../src/api');
const { createTracker } = await import('../src/tracker');
const { eraseStorage } = await import('../src/erase');
const nextTask = () => new Promise((r) => setTimeout(r));

describe('cookie domain', () => {
  beforeEach(() => vi.clearAllMocks());

  it('is given to the tracker when it starts, so the cookie is written once, there', async () => {
    const { _api: api } = createApi({ companyId: 'AbC123' });
    await api.cookieDomain('.shop.example');
    await nextTask();
    expect(vi.mocked(createTracker).mock.calls[0][3]).toBe('.shop.example');
    expect(tracker.cookieDomain).not.toHaveBeenCalled();
  });

  it('set after start-up, is where a refusal erases the cookie', async () => {
    const { _api: api } = createApi({ companyId: 'AbC123' });
    await nextTask();
    await api.cookieDomain('.later.example');
    expect(tracker.cookieDomain).toHaveBeenCalledWith('.later.example');
    await api.consent('denied');
    expect(vi.mocked(eraseStorage).mock.calls.at(-1)![0]).toBe('.later.example');
  });
});
