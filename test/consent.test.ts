// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createConsent } from '../src/consent';

/** What another tab's answer looks like here: the storage event of its write. */
const fromAnotherTab = (newValue: string | null, key = 'klite:consent') =>
  dispatchEvent(Object.assign(new Event('storage'), { key, newValue }));

describe('consent across tabs', () => {
  it('passes an answer to the other tabs through localStorage, leaving nothing there', () => {
    const set = vi.spyOn(Storage.prototype, 'setItem');
    const consent = createConsent({}, () => {});
    consent('denied', true);
    expect(set).toHaveBeenCalledWith('klite:consent', '["denied",true]');
    expect(localStorage.getItem('klite:consent')).toBeNull();
    set.mockRestore();
  });

  it("takes another tab's answer, and ignores the removal, other keys and junk", () => {
    const changed = vi.fn();
    const consent = createConsent({}, changed);
    fromAnotherTab(null);
    fromAnotherTab('["denied",true]', 'other');
    fromAnotherTab('{not json');
    expect(changed).not.toHaveBeenCalled();
    const set = vi.spyOn(Storage.prototype, 'setItem');
    fromAnotherTab('["denied",true]');
    expect(consent()).toBe('denied');
    // Heard, not said: not passed on again.
    expect(set).not.toHaveBeenCalled();
    set.mockRestore();
    expect(changed).toHaveBeenCalledWith('denied');
    fromAnotherTab('["granted",true]');
    expect(consent()).toBe('granted');
  });
});
