import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE, CAP, backoff, retryAfter, retryable } from '../src/backoff';

describe('backoff', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  /** backoff(failures) with Math.random() answering `r`. */
  const at = (failures: number, r: number) => {
    vi.spyOn(Math, 'random').mockReturnValue(r);
    return backoff(failures);
  };
  it('doubles the ceiling per failure, full jitter below it, capped', () => {
    expect(at(0, 1)).toBe(BASE);
    expect(at(3, 1)).toBe(BASE * 8);
    expect(at(3, 0.5)).toBe(BASE * 4);
    expect(at(3, 0)).toBe(0);
    expect(at(40, 1)).toBe(CAP);
  });
});

describe('retryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it('reads seconds and HTTP dates, ignores the absent and the past, caps at a day', () => {
    expect(retryAfter('2', now)).toBe(2000);
    expect(retryAfter('0.5', now)).toBe(500);
    expect(retryAfter(new Date(now + 3000).toUTCString(), now)).toBe(3000);
    expect(retryAfter(null, now)).toBe(0);
    expect(retryAfter('soon', now)).toBe(0);
    expect(retryAfter(new Date(now - 3000).toUTCString(), now)).toBe(0);
    expect(retryAfter('999999', now)).toBe(864e5);
  });
});

describe('retryable', () => {
  it('retries network errors, 408, 429 and 5xx only', () => {
    expect([0, 408, 429, 500, 503].map(retryable)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 413].map(retryable)).toEqual([false, false, false, false, false, false]);
  });
});
