import { CONNECTOR_MATCHER } from '../lexicon/keyword-index.js';

const NOT_MEANINGFUL = /[\s\p{P}\p{S}]/u;

/** Characters between two positions that count as distance between a keyword and a code. */
export type GapCounter = (from: number, to: number) => number;

/**
 * Precomputes, once per message, how many characters before each position are neither spaces,
 * punctuation, symbols nor part of a connector word ("is", "est", "입니다"), so the distance
 * between any keyword and any candidate is one subtraction instead of a rescan of the text
 * between them (rescanning per pair made scoring cubic in the message length).
 *
 * @example
 * const gap = meaningfulGapCounter('code: 1234 is 5678');
 * gap(4, 6); // 0 (': ' only)
 * gap(10, 14); // 0 (' is ' is a connector)
 */
export function meaningfulGapCounter(folded: string): GapCounter {
  const counted = new Int32Array(folded.length + 1);
  const connectors = CONNECTOR_MATCHER.find(folded);
  let connector = 0;
  let index = 0;
  for (const character of folded) {
    while (connector < connectors.length && (connectors[connector]?.end ?? 0) <= index) connector++;
    const inConnector = (connectors[connector]?.start ?? Number.POSITIVE_INFINITY) <= index;
    const weight = inConnector || NOT_MEANINGFUL.test(character) ? 0 : 1;
    // An astral character is two UTF-16 units; counting both keeps the old `.length` arithmetic.
    for (let unit = 0; unit < character.length; unit++) {
      counted[index + 1] = (counted[index] ?? 0) + weight;
      index++;
    }
  }
  return (from, to) => (to > from ? (counted[to] ?? 0) - (counted[from] ?? 0) : 0);
}
