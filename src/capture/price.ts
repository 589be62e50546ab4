/**
 * A price as a number, whatever the locale wrote: `"1.299,00"`, `"$1,299.00"`, `"19.99"`,
 * `"12,50 €"`, `1299`. The last separator is the decimal one when both kinds occur, or when it
 * occurs once and is not followed by exactly three digits (`"1,299"` is a thousand). Undefined
 * when there is no number.
 */
export function parsePrice(value: unknown): number | undefined {
  if (typeof value == 'number') return isFinite(value) ? value : undefined;
  if (typeof value != 'string') return;
  let s = value.replace(/[^\d.,-]/g, '');
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  if (last >= 0) {
    const sep = s[last];
    const decimal = s.includes(sep == '.' ? ',' : '.') || (s.indexOf(sep) == last && s.length - last - 1 != 3);
    s = decimal ? s.slice(0, last).replace(/[.,]/g, '') + '.' + s.slice(last + 1) : s.replace(/[.,]/g, '');
  }
  const n = parseFloat(s);
  return isFinite(n) ? n : undefined;
}
