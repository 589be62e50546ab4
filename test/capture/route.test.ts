// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { routeOf } from '../../src/capture/route';

describe('routeOf', () => {
  it("counts a router's fragment, not an anchor", () => {
    expect(routeOf('https://s/a?b=1#reviews')).toBe('https://s/a?b=1');
    expect(routeOf('https://s/#/products/1')).toBe('https://s/#/products/1');
    expect(routeOf('https://s/#!/x')).toBe('https://s/#!/x');
  });
});
