import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, STUCK } from '../src/store';

/** An IndexedDB whose transactions never end: WebKit's, while a page in its back/forward cache holds one open. */
const stuckIndexedDB = () => {
  const opened = { count: 0 };
  const db = { transaction: () => ({ objectStore: () => ({ getAllKeys: () => ({}) }) }) };
  const open = () => {
    opened.count++;
    const req: Record<string, unknown> = { result: db };
    Promise.resolve().then(() => (req.onsuccess as () => void)?.());
    return req;
  };
  return { indexedDB: { open }, opened };
};

describe('store', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('gives up a transaction that never ends: tried once more, then memory and localStorage, said once', async () => {
    vi.useFakeTimers();
    const { indexedDB, opened } = stuckIndexedDB();
    vi.stubGlobal('indexedDB', indexedDB);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let keys: unknown = 'pending';
    openStore()
      ._keys()
      .then((k) => (keys = k));
    await vi.advanceTimersByTimeAsync(STUCK);
    expect(keys).toBe('pending');
    expect(opened.count).toBe(2);
    await vi.advanceTimersByTimeAsync(STUCK);
    expect(keys).toBeUndefined();
    expect(warn).toHaveBeenCalledWith('klite: IndexedDB unavailable; using memory and localStorage.');
  });
});
