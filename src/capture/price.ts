/**
 * A price as a number, whatever the locale wrote: `"1.299,00"`, `"$1,299.00"`, `"19.99"`,
 * `"12,50 €"`, `1299`, `"22.944"`. A plain number is read as JavaScript reads it; else the last
 * separator is the decimal one when both kinds occur, or when it occurs once and is not followed by
 * exactly three digits (`"1,299"` is a thousand). Undefined when there is no number.
 */
export function parsePrice(value: unknown): number | undefined {
  if (typeof value == 'string')
    // A plain number is read as one: schema.org's prices use a decimal point (PrestaShop's
    // `content="22.944"`). Else greedy: `sep` is the last separator, `tail` what follows it.
    value =
      +value ||
      parseFloat(
        value.replace(/[^\d.,-]/g, '').replace(/^(.*)([.,])(.*)$/, (_, head: string, sep: string, tail: string) => {
          const decimal = head.includes(sep == '.' ? ',' : '.') || (!head.includes(sep) && tail.length != 3);
          return head.replace(/[.,]/g, '') + (decimal ? '.' : '') + tail;
        }),
      );
  // Anything but a finite number (or a string that reads as one) is no price.
  return Number.isFinite(value) ? (value as number) : undefined;
}
