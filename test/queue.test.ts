import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { SLICE, createQueue } from '../src/queue';
import { HOLD } from '../src/queue-bounds';
import { openStore } from '../src/store';
import type { Item } from '../src/types';

const item = (metric: string): Item => ({ _kind: 'e', _metric: metric, _attributes: { properties: {} }, _client: 'c', _accepted: 1 });
/** The next task: where a test means one task, not a time. */
const nextTask = () => new Promise((r) => setTimeout(r));
/** The metrics of what `queue` holds in memory. */
const metrics = (queue: { _entries(): [string, Item][] }) => queue._entries().map(([, i]) => i._metric ?? i._kind);

describe('queue and store', () => {
  it('writes everything added in one task in one transaction, in call order, and survives a new queue', async () => {
    const store = openStore();
    const put = vi.spyOn(store, '_put');
    const written = vi.fn();
    const queue = createQueue(store, written);
    for (const m of ['a', 'b', 'c']) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item(m));
    expect(put).not.toHaveBeenCalled(); // nothing on the caller's stack
    await vi.waitFor(() => expect(written).toHaveBeenCalled());
    expect(put).toHaveBeenCalledTimes(1);
    expect(written).toHaveBeenCalledTimes(1);
    expect(queue._entries().map(([, i]) => i._metric)).toEqual(['a', 'b', 'c']);

    // A new page: the queue starts from what IndexedDB holds.
    const next = createQueue(openStore(), () => {});
    await next._loaded;
    expect(next._entries().map(([, i]) => i._metric)).toEqual(['a', 'b', 'c']);
    await next._del(
      next
        ._entries()
        .slice(0, 2)
        .map(([k]) => k),
    );
    const third = createQueue(openStore(), () => {});
    await third._loaded;
    expect(third._entries().map(([, i]) => i._metric)).toEqual(['c']);
  });

  it('builds slow calls a few per task, within the time budget', async () => {
    const store = openStore();
    const queue = createQueue(store, () => {});
    await queue._loaded;
    const put = vi.spyOn(store, '_put');
    // Each call takes 3 ms to build, by the clock the queue reads.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const slow = () => {
      clock += 3;
      return item('slow');
    };
    for (let i = 0; i < 30; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, slow);
    for (let i = 0; i < 3; i++) await nextTask();
    expect(put).not.toHaveBeenCalled(); // 90 ms of building: not in one task
    await vi.waitFor(() => expect(put).toHaveBeenCalledTimes(1));
    expect(put.mock.calls[0][0].filter(([k]) => k !== '~')).toHaveLength(30);
    vi.restoreAllMocks();
  });

  it('builds a large burst over several tasks but writes it in one transaction', async () => {
    const store = openStore();
    const queue = createQueue(store, () => {});
    await queue._loaded;
    const put = vi.spyOn(store, '_put');
    for (let i = 0; i < SLICE * 5; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('burst'));
    await nextTask();
    await nextTask();
    expect(put).not.toHaveBeenCalled(); // still building, a slice per task
    await vi.waitFor(() => expect(put).toHaveBeenCalledTimes(1));
    expect(put.mock.calls[0][0]).toHaveLength(SLICE * 5);
  });

  it('keeps keys sorted in call order across many calls', async () => {
    const queue = createQueue(openStore(), () => {});
    await queue._loaded;
    const before = queue._entries().length;
    for (let i = 0; i < 50; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('n' + i));
    await vi.waitFor(() => expect(queue._entries().length).toBe(before + 50));
    expect(
      queue
        ._entries()
        .slice(before)
        .map(([, i]) => i._metric),
    ).toEqual(Array.from({ length: 50 }, (_, i) => 'n' + i));
  });

  it('drops a call that cannot be built, keeps the others', async () => {
    const queue = createQueue(openStore(), () => {});
    await queue._loaded;
    const before = queue._entries().length;
    queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('ok'));
    queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => {
      throw new Error('bad');
    });
    await vi.waitFor(() => expect(queue._entries().length).toBe(before + 1));
  });

  it('falls back to memory with one warning when IndexedDB fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const queue = createQueue(openStore(), () => {});
      queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('mem'));
      queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('mem2'));
      await vi.waitFor(() => expect(metrics(queue)).toEqual(['mem', 'mem2']));
      expect(warn.mock.calls.filter(([m]) => String(m).includes('IndexedDB unavailable'))).toHaveLength(1);
    } finally {
      globalThis.indexedDB = saved;
      warn.mockRestore();
    }
  });
});

describe('claiming anonymous calls', () => {
  it('binds the visitor’s anonymous calls to the identity they take first', async () => {
    const queue = createQueue(openStore(), () => {});
    await queue._loaded;
    const anon = { _kind: 'e' as const, _client: 'visitor', _accepted: 1 };
    queue._add({ ...anon }, () => item('pending'));
    queue._add({ ...anon, _client: 'someone-else' }, () => item('other'));
    queue._claim({ email: 'first@example.com' }, 'visitor');
    queue._claim({ email: 'second@example.com' }, 'visitor');
    await vi.waitFor(() => expect(metrics(queue)).toEqual(expect.arrayContaining(['pending', 'other'])));
    const byMetric = Object.fromEntries(queue._entries().map(([, i]) => [i._metric, i._profile]));
    expect(byMetric.pending).toEqual({ email: 'first@example.com' });
    expect(byMetric.other).toBeUndefined();
    // Stored ones too, and the binding is written back.
    queue._add({ ...anon }, () => item('stored'));
    await vi.waitFor(() => expect(metrics(queue)).toContain('stored'));
    queue._claim({ email: 'third@example.com' }, 'visitor');
    const next = createQueue(openStore(), () => {});
    await next._loaded;
    expect(next._entries().find(([, i]) => i._metric == 'stored')![1]._profile).toEqual({ email: 'third@example.com' });
  });
});

describe('sync across tabs', () => {
  it("makes the memory copy IndexedDB's: what another tab delivered leaves, what it added arrives", async () => {
    const a = createQueue(openStore(), () => {});
    const b = createQueue(openStore(), () => {});
    await Promise.all([a._loaded, b._loaded]);
    const base = a._entries().length;
    a._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('from-a'));
    await vi.waitFor(() => expect(metrics(a)).toContain('from-a'));
    await b._sync();
    const fromA = b._entries().filter(([, i]) => i._metric == 'from-a');
    expect(fromA).toHaveLength(1);
    expect(a._own(fromA[0][0])).toBe(true);
    expect(b._own(fromA[0][0])).toBe(false);
    await a._del([fromA[0][0]]);
    await b._sync();
    expect(b._entries().filter(([, i]) => i._metric == 'from-a')).toHaveLength(0);
    expect(b._entries().length).toBe(base);
  });
});

describe('bounded queue', () => {
  it('drops the oldest events past the cap, never a profile update, with one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = openStore();
    const queue = createQueue(store, () => {}, 5);
    await queue._loaded;
    await queue._del(queue._entries().map(([k]) => k));
    queue._add({ _kind: 'p', _client: 'c', _accepted: 1 }, () => ({
      _kind: 'p',
      _attributes: { email: 'a@b.co' },
      _client: 'c',
      _accepted: 1,
    }));
    for (let i = 0; i < 7; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('e' + i));
    await vi.waitFor(() => expect(metrics(queue)).toEqual(['p', 'e3', 'e4', 'e5', 'e6']));
    // The cap's deletions reached IndexedDB: five calls and the wipe mark.
    await vi.waitFor(async () => expect(await store._keys()).toHaveLength(6));
    const next = createQueue(openStore(), () => {});
    await next._loaded;
    expect(next._entries().map(([, i]) => i._metric ?? i._kind)).toEqual(['p', 'e3', 'e4', 'e5', 'e6']);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('queue full'))).toHaveLength(1);
    warn.mockRestore();
  });
});

describe('a store wiped under a running page (site data cleared)', () => {
  it('keeps what the page holds and writes it back, where a store emptied by delivery is followed', async () => {
    const store = openStore();
    await store._clear();
    const queue = createQueue(store, () => {});
    await queue._loaded;
    for (const m of ['a', 'b']) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item(m));
    // In memory once IndexedDB has them (a write makes its calls sendable when stored).
    await vi.waitFor(() => expect(queue._entries()).toHaveLength(2));
    // Another tab delivered 'a': gone from the store, so gone here.
    const other = createQueue(openStore(), () => {});
    await other._loaded;
    await other._del([other._entries()[0][0]]);
    await queue._sync();
    expect(queue._entries().map(([, i]) => i._metric)).toEqual(['b']);
    // The visitor clears site data: the store is empty, and this page still has 'b', written back.
    await store._clear();
    await queue._sync();
    expect(queue._entries().map(([, i]) => i._metric)).toEqual(['b']);
    await vi.waitFor(async () => expect(await store._keys()).toHaveLength(2)); // 'b' and the mark
    const after = createQueue(openStore(), () => {});
    await after._loaded;
    expect(after._entries().map(([, i]) => i._metric)).toEqual(['b']);
  });
});

describe('store', () => {
  /** How many times `method` is called in each run of synchronous code. */
  const runs = (method: 'put' | 'get' | 'delete') => {
    const sizes: number[] = [];
    let open = false;
    const original = IDBObjectStore.prototype[method];
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: any[]) {
      if (!open) {
        open = true;
        sizes.push(0);
        queueMicrotask(() => (open = false));
      }
      sizes[sizes.length - 1]++;
      return (original as any).apply(this, args);
    });
    return sizes;
  };

  it('puts, reads and deletes a thousand calls a hundred per task, in one transaction each', async () => {
    const store = openStore();
    const entries = Array.from({ length: 1000 }, (_, i): [string, Item] => ['store-test-' + String(i).padStart(4, '0'), item('m' + i)]);
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const puts = runs('put');
    expect(await store._put(entries)).toBe(true);
    expect(puts).toEqual(Array(10).fill(100));
    const ours = async () => (await store._keys())!.filter((k) => k.startsWith('store-test-'));
    expect(await ours()).toHaveLength(1000);
    const gets = runs('get');
    expect((await store._get(entries.map(([k]) => k))).map(([, i]) => i._metric)).toEqual(entries.map(([, i]) => i._metric));
    expect(gets).toEqual(Array(10).fill(100));
    const deletes = runs('delete');
    await store._del(entries.map(([k]) => k));
    expect(deletes).toEqual(Array(10).fill(100));
    expect(await ours()).toEqual([]);
    expect(transactions.mock.calls.map(([, mode]) => mode)).toEqual(['readwrite', 'readonly', 'readonly', 'readwrite', 'readonly']);
    vi.restoreAllMocks();
  });
});

describe('memory', () => {
  it("holds only this page's newest events in memory once they are in IndexedDB, and reads the rest back to send", async () => {
    const saved = globalThis.indexedDB;
    globalThis.indexedDB = new IDBFactory();
    try {
      const written = vi.fn();
      const queue = createQueue(openStore(), written);
      await queue._loaded;
      const sarah = { email: 'sarah@example.com' };
      const big = (m: string): Item => ({ ...item(m), _attributes: { properties: { text: 'x'.repeat(500) } } });
      queue._add({ _kind: 'p', _client: 'c', _accepted: 1, _profile: sarah }, () => ({ ...item('profile'), _kind: 'p' }));
      queue._add({ _kind: 'e', _client: 'anon', _accepted: 1 }, () => big('anonymous'));
      for (let i = 0; i < 1000; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1, _profile: sarah }, () => big('e' + i));
      await vi.waitFor(() => expect(written).toHaveBeenCalled());
      expect(queue._size()).toBe(1002);
      const held = queue._entries();
      const bytes = held.filter(([, i]) => i._kind == 'e' && i._profile).reduce((n, [, i]) => n + JSON.stringify(i).length, 0);
      expect(bytes).toBeLessThanOrEqual(HOLD);
      expect(bytes).toBeGreaterThan(HOLD - 1000);
      // The newest are held; the profile update and the anonymous call always are.
      expect(held.map(([, i]) => i._metric)).toEqual(expect.arrayContaining(['profile', 'anonymous', 'e999']));
      expect(held.map(([, i]) => i._metric)).not.toContain('e0');
      // A delivery pass reads everything back, in call order; trimming lets go again.
      await queue._sync();
      expect(queue._entries().map(([, i]) => i._metric)).toEqual([
        'profile',
        'anonymous',
        ...Array.from({ length: 1000 }, (_, i) => 'e' + i),
      ]);
      const stringify = vi.spyOn(JSON, 'stringify');
      queue._trim();
      expect(stringify).not.toHaveBeenCalled(); // sizes come from the text made for the store
      stringify.mockRestore();
      expect(queue._entries()).toEqual(held);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('holds every call in memory when IndexedDB does not work', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    globalThis.indexedDB = undefined;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const queue = createQueue(openStore(), () => {});
      for (let i = 0; i < 300; i++)
        queue._add({ _kind: 'e', _client: 'c', _accepted: 1, _profile: { email: 'a@example.com' } }, () => ({
          ...item('e' + i),
          _attributes: { properties: { text: 'x'.repeat(500) } },
        }));
      await vi.waitFor(() => expect(queue._entries()).toHaveLength(300));
      queue._trim();
      expect(queue._entries()).toHaveLength(300);
    } finally {
      globalThis.indexedDB = saved;
      warn.mockRestore();
    }
  });
});

describe('a page hidden while a write is under way', () => {
  it('makes sendable at once the calls a write took and is still storing (IndexedDB slow to answer)', async () => {
    globalThis.indexedDB = new IDBFactory();
    const store = openStore();
    const queue = createQueue(store, () => {});
    await queue._loaded;
    // IndexedDB takes its time: the write has the calls and waits.
    vi.spyOn(store, '_put').mockImplementation(() => new Promise(() => {}));
    const put = vi.mocked(store._put);
    for (const m of ['a', 'b', 'c']) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item(m));
    await vi.waitFor(() => expect(put).toHaveBeenCalled());
    expect(queue._entries()).toEqual([]);
    queue._writeNow();
    expect(queue._entries().map(([, i]) => i._metric)).toEqual(['a', 'b', 'c']);
  });

  it('and those of a burst still being built, slice by slice', async () => {
    const queue = createQueue(openStore(), () => {});
    await queue._loaded;
    for (let i = 0; i < SLICE * 3; i++) queue._add({ _kind: 'e', _client: 'c', _accepted: 1 }, () => item('burst'));
    // One slice built, then the page goes.
    await nextTask();
    queue._writeNow();
    expect(queue._entries().filter(([, i]) => i._metric == 'burst')).toHaveLength(SLICE * 3);
  });
});

describe('IndexedDB that goes away', () => {
  it('lets a deletion through, reopens, and keeps storing', async () => {
    const store = openStore();
    expect(await store._put([['k1', { v: 1 }]])).toBe(true);
    const deleted = await new Promise((done) => {
      const req = indexedDB.deleteDatabase('klite-v1');
      req.onsuccess = () => done('deleted');
      req.onblocked = () => done('blocked');
    });
    expect(deleted).toBe('deleted');
    expect(await store._put([['k2', { v: 2 }]])).toBe(true);
    expect(await store._keys()).toEqual(['k2']);
  });

  it('retries a failed transaction once on a new connection; gives up with one warning when that fails too', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // A fresh module graph: warn() says each line once per page, and earlier tests said this one.
    vi.resetModules();
    const { openStore } = await import('../src/store');
    const store = openStore();
    await store._keys();
    const tx = vi.spyOn(IDBDatabase.prototype, 'transaction');
    try {
      tx.mockImplementationOnce(() => {
        throw new DOMException('The database connection is closing.', 'InvalidStateError');
      });
      expect(await store._put([['once', 1]])).toBe(true);
      tx.mockImplementation(() => {
        throw new DOMException('Connection to Indexed Database server lost.', 'UnknownError');
      });
      expect(await store._put([['never', 1]])).toBe(false);
      expect(await store._keys()).toBeUndefined();
      expect(warn.mock.calls.filter(([m]) => String(m).includes('IndexedDB unavailable'))).toHaveLength(1);
    } finally {
      tx.mockRestore();
      warn.mockRestore();
    }
  });
});
