// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

// Auto-capture's wiring with the page reader counted: a product page is read once per route.
const product = { ProductName: 'Trail Boot', ProductID: 'boot-1', Price: 129, URL: 'https://shop.example/boot' };
vi.mock('../../src/capture/page', () => ({ readProduct: vi.fn(() => product) }));
// The readers are counted too: created on the first need, not when klite loads.
vi.mock('../../src/capture/readers', async (actual) => {
  const { createReaders } = await actual<typeof import('../../src/capture/readers')>();
  return { createReaders: vi.fn(createReaders) };
});
const { startCapture } = await import('../../src/capture');
const { createReaders } = await import('../../src/capture/readers');
const { readProduct } = await import('../../src/capture/page');

afterEach(() => vi.useRealTimers());

describe('startCapture', () => {
  it('adds to the cart the product Viewed Product read, without reading the page again', async () => {
    vi.useFakeTimers();
    const tracked: [string, Record<string, unknown>][] = [];
    const api = {
      track: vi.fn((m: string, p: Record<string, unknown>) => tracked.push([m, p])),
      trackViewedItem: vi.fn(),
      identify: vi.fn(),
    };
    // The hooks listen at once; the page is read at the first look, which klite's start-up makes.
    vi.mocked(createReaders).mockClear();
    const look = startCapture(api as never, { activity: false }, () => true)!;
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked).toEqual([]);
    expect(createReaders).not.toHaveBeenCalled();
    look();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked.map(([m]) => m)).toEqual(['Viewed Product']);
    const form = document.createElement('form');
    form.action = '/cart/add';
    form.innerHTML = '<input name="quantity" value="2"><input name="id" value="boot-1">';
    document.body.appendChild(form);
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(tracked.map(([m]) => m)).toEqual(['Viewed Product', 'Added to Cart']);
    expect(tracked[1][1]).toMatchObject({ AddedItemProductID: 'boot-1', AddedItemQuantity: 2 });
    expect(readProduct).toHaveBeenCalledTimes(1);
    expect(createReaders).toHaveBeenCalledTimes(1);
  });

  it('creates the readers at the first hook that fires, before any look', async () => {
    vi.mocked(createReaders).mockClear();
    const api = { track: vi.fn(), trackViewedItem: vi.fn(), identify: vi.fn() };
    startCapture(api as never, { activity: false }, () => true);
    const form = document.createElement('form');
    form.innerHTML = '<input type="email" name="email" value="ada@example.com">';
    document.body.appendChild(form);
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(createReaders).toHaveBeenCalledTimes(1);
    expect(api.identify).toHaveBeenCalledWith({ email: 'ada@example.com' });
  });
});

describe('the first look, when the page is going', () => {
  it('reads the product at once (no later task for a closing page), and only once', async () => {
    vi.useFakeTimers();
    vi.mocked(readProduct).mockClear();
    const api = { track: vi.fn(), trackViewedItem: vi.fn(), identify: vi.fn() };
    startCapture(api as never, { activity: false }, () => true)!(true);
    expect(api.track).toHaveBeenCalledWith('Viewed Product', product);
    await vi.advanceTimersByTimeAsync(11e3);
    expect(api.track).toHaveBeenCalledTimes(1);
    expect(readProduct).toHaveBeenCalledTimes(1);
  });
});
