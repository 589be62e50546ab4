// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUIET, whenSettled } from '../src/settle';

const readyState = (state: DocumentReadyState) => vi.spyOn(document, 'readyState', 'get').mockReturnValue(state);

describe('whenSettled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('on a page still loading: QUIET ms after load, not before', () => {
    readyState('interactive');
    const f = vi.fn();
    whenSettled(f);
    vi.advanceTimersByTime(10 * QUIET);
    expect(f).not.toHaveBeenCalled();
    dispatchEvent(new Event('load'));
    vi.advanceTimersByTime(QUIET - 1);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(f).toHaveBeenCalled();
  });

  it('on a loaded page: QUIET ms from now', () => {
    readyState('complete');
    const f = vi.fn();
    whenSettled(f);
    vi.advanceTimersByTime(QUIET - 1);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(f).toHaveBeenCalled();
  });
});
