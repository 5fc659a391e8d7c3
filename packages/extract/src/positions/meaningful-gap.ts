import { CONNECTOR_MATCHER } from '../lexicon/keyword-index.js';
import { isMeaningful } from './character-classes.js';

/** Characters between two positions that count as distance between a keyword and a code. */
export type GapCounter = (from: number, to: number) => number;

// Gaps up to this many characters are measured on their own text, exactly as a reader would
// (a connector may touch the code: "شما1 2 3"); longer ones come from counts indexed once.
const EXACT_SPAN = 96;
const NOT_MEANINGFUL = /[\s\p{P}\p{S}]/gu;

/** Characters of `gap` that are not connectors, spaces, punctuation or symbols. */
function exactGap(gap: string): number {
  let remaining = '';
  let from = 0;
  for (const connector of CONNECTOR_MATCHER.find(gap)) {
    remaining += gap.slice(from, connector.start);
    from = connector.end;
  }
  remaining += gap.slice(from);
  return remaining.replace(NOT_MEANINGFUL, '').length;
}

/** Per position, the meaningful characters before it, connectors found once in the whole text. */
function countMeaningful(folded: string): Int32Array {
  const counted = new Int32Array(folded.length + 1);
  const connectors = CONNECTOR_MATCHER.find(folded);
  let connector = 0;
  for (let index = 0; index < folded.length; ) {
    while (connector < connectors.length && (connectors[connector]?.end ?? 0) <= index) connector++;
    const inConnector = (connectors[connector]?.start ?? Number.POSITIVE_INFINITY) <= index;
    const codePoint = folded.codePointAt(index) ?? 0;
    // An astral character is two UTF-16 units; counting both keeps the `.length` arithmetic.
    const units = codePoint > 0xffff ? 2 : 1;
    const weight = inConnector || !isMeaningful(String.fromCodePoint(codePoint)) ? 0 : 1;
    for (const end = index + units; index < end; index++) counted[index + 1] = (counted[index] ?? 0) + weight;
  }
  return counted;
}

/**
 * Measures how far a keyword is from a code: the characters between them that are neither
 * spaces, punctuation, symbols nor part of a connector word ("is", "est", "입니다"). A short gap
 * is measured on its own text; a long one is a subtraction of counts indexed once per message
 * (on first need), so no pair of keyword and candidate ever rescans a long stretch of text
 * (doing so for every pair made scoring cubic in the message length).
 *
 * @example
 * const gap = meaningfulGapCounter('code: 1234 is 5678');
 * gap(4, 6); // 0 (': ' only)
 * gap(10, 14); // 0 (' is ' is a connector)
 */
export function meaningfulGapCounter(folded: string): GapCounter {
  let counted: Int32Array | undefined;
  // Gaps repeat in repetitive (and in hostile) messages: " is " before every code.
  const exact = new Map<string, number>();
  return (from, to) => {
    if (to <= from) return 0;
    if (to - from <= EXACT_SPAN) {
      const gap = folded.slice(from, to);
      let count = exact.get(gap);
      if (count === undefined) {
        count = exactGap(gap);
        exact.set(gap, count);
      }
      return count;
    }
    counted ??= countMeaningful(folded);
    return (counted[to] ?? 0) - (counted[from] ?? 0);
  };
}
