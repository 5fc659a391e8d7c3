import type { Span } from './text-layout.js';

/**
 * Marks every span that another span of the list covers (starts at or before it and ends at or
 * after it; two identical spans cover each other), in one sort and one sweep instead of
 * comparing every pair.
 *
 * @example
 * containedSpans([{ start: 0, end: 9 }, { start: 0, end: 4 }, { start: 5, end: 9 }]); // [false, true, true]
 */
export function containedSpans(spans: readonly Span[]): boolean[] {
  const order = spans.map((_, index) => index);
  order.sort(
    (a, b) => (spans[a]?.start ?? 0) - (spans[b]?.start ?? 0) || (spans[b]?.end ?? 0) - (spans[a]?.end ?? 0),
  );
  const contained = spans.map(() => false);
  let furthestEnd = Number.NEGATIVE_INFINITY;
  for (let rank = 0; rank < order.length; rank++) {
    const index = order[rank] as number;
    const span = spans[index] as Span;
    const next = spans[order[rank + 1] ?? -1];
    // Every span sorted earlier starts no later; one reaching as far covers this one.
    if (furthestEnd >= span.end) contained[index] = true;
    if (next && next.start === span.start && next.end === span.end) contained[index] = true;
    furthestEnd = Math.max(furthestEnd, span.end);
  }
  return contained;
}
