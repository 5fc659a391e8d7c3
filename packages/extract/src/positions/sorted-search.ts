/**
 * The first index of `items` at which `isBefore` turns false, for items ordered so that it is
 * true for a prefix and false for the rest (spans sorted by position). Scoring uses it to jump
 * to the keywords and contexts near a candidate instead of walking every one of them.
 *
 * @example
 * firstIndexWhereNot([{ end: 3 }, { end: 9 }, { end: 12 }], (span) => span.end <= 9); // 2
 */
export function firstIndexWhereNot<T>(items: readonly T[], isBefore: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(items[middle] as T)) low = middle + 1;
    else high = middle;
  }
  return low;
}
