import { CONNECTOR_MATCHER } from '../lexicon/keyword-index.js';
import { isMeaningful } from './character-classes.js';

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
  for (let index = 0; index < folded.length; ) {
    while (connector < connectors.length && (connectors[connector]?.end ?? 0) <= index) connector++;
    const inConnector = (connectors[connector]?.start ?? Number.POSITIVE_INFINITY) <= index;
    const codePoint = folded.codePointAt(index) ?? 0;
    // An astral character is two UTF-16 units; counting both keeps the old `.length` arithmetic.
    const units = codePoint > 0xffff ? 2 : 1;
    const weight = inConnector || !isMeaningful(String.fromCodePoint(codePoint)) ? 0 : 1;
    for (const end = index + units; index < end; index++) counted[index + 1] = (counted[index] ?? 0) + weight;
  }
  return (from, to) => (to > from ? (counted[to] ?? 0) - (counted[from] ?? 0) : 0);
}
