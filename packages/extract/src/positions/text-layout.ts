import { isDigitCode, isWhitespaceCode } from './character-classes.js';
import { firstIndexWhereNot } from './sorted-search.js';

const SENTENCE_END = new Set('.!?。！？।؟');

/** A span of the normalised text (a candidate, a keyword, a context). */
export interface Span {
  start: number;
  end: number;
}

/**
 * Whether the character at `index` ends a sentence: a full stop or the like not followed by a
 * digit (`12.50` is one number).
 *
 * @example
 * isSentenceEnd('Done. 1.5', 4); // true
 * isSentenceEnd('Done. 1.5', 7); // false
 */
export function isSentenceEnd(text: string, index: number): boolean {
  return (
    SENTENCE_END.has(text[index] ?? '') && !isDigitCode(text.charCodeAt(index + 1)) && !isInitial(text, index)
  );
}

/**
 * A capital standing alone before a full stop and a capitalised word is a name's initial ("an M.
 * Weber, IBAN …"), not the end of a sentence.
 */
function isInitial(text: string, index: number): boolean {
  if (text[index] !== '.' || text[index + 1] !== ' ') return false;
  const letter = text.charCodeAt(index - 1);
  const next = text.charCodeAt(index + 2);
  return isCapital(letter) && isCapital(next) && (index < 2 || text[index - 2] === ' ');
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** Sentence and line questions about a span, answered from positions indexed once. */
export interface TextLayout {
  /** The sentence around a span: from after the previous line or sentence end to the next one. */
  sentenceAround(span: Span): { from: number; to: number };
  /** Whether the span is all there is on its line, spaces aside. */
  isAloneOnLine(span: Span): boolean;
}

/**
 * Indexes line breaks, sentence ends and spaces of a text once, so every candidate's sentence
 * and line are found by binary search instead of by walking outwards through the text (which,
 * repeated for every candidate of a long line, cost quadratic time).
 *
 * @example
 * const layout = indexTextLayout('Hi. Code:\n123456\nBye');
 * layout.isAloneOnLine({ start: 10, end: 16 }); // true
 * layout.sentenceAround({ start: 10, end: 16 }); // { from: 10, to: 16 }
 */
export function indexTextLayout(text: string): TextLayout {
  const newlines: number[] = [];
  const breaks: number[] = [];
  const spaces = new Int32Array(text.length + 1);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) newlines.push(index);
    if (code === 10 || isSentenceEnd(text, index)) breaks.push(index);
    spaces[index + 1] = (spaces[index] ?? 0) + (isWhitespaceCode(code) ? 0 : 1);
  }
  const nonSpaceBetween = (from: number, to: number) => (spaces[to] ?? 0) - (spaces[from] ?? 0);
  return {
    sentenceAround(span) {
      const after = firstIndexWhereNot(breaks, (position) => position < span.start);
      const next = firstIndexWhereNot(breaks, (position) => position < span.end);
      return { from: after > 0 ? (breaks[after - 1] ?? -1) + 1 : 0, to: breaks[next] ?? text.length };
    },
    isAloneOnLine(span) {
      const before = firstIndexWhereNot(newlines, (position) => position < span.start);
      const lineStart = before > 0 ? (newlines[before - 1] ?? -1) + 1 : 0;
      const lineEnd =
        newlines[firstIndexWhereNot(newlines, (position) => position < span.end)] ?? text.length;
      return nonSpaceBetween(lineStart, span.start) === 0 && nonSpaceBetween(span.end, lineEnd) === 0;
    },
  };
}
