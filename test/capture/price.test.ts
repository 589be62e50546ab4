import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../src/capture/price';

describe('parsePrice', () => {
  it.each([
    ['19.99', 19.99],
    // A plain number is schema.org's form: its point is a decimal point, whatever the digits after it.
    ['22.944', 22.944],
    ['$1,299.00', 1299],
    ['1.299,00', 1299],
    ['12,50 €', 12.5],
    ['1 299,00 kr', 1299],
    ['1,299', 1299],
    ['1.299.000', 1299000],
    ['EUR 0,99', 0.99],
    [' 129 ', 129],
    [42, 42],
  ] as const)('%s → %s', (input, expected) => expect(parsePrice(input)).toBe(expected));
  it('gives undefined for what is not a price', () => {
    for (const v of ['', 'free', null, undefined, NaN, {}, '.,']) expect(parsePrice(v)).toBeUndefined();
  });
});
