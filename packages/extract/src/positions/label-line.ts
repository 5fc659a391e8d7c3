import type { GapCounter } from './meaningful-gap.js';
import type { Span, TextLayout } from './text-layout.js';

// Spaces and blank lines that may stand between a label's colon and the line it labels.
const COLON_THEN_SPACE = /:\s*$/;
const LOOK_BACK = 8;
// How far before its colon a label sentence is read: a label is one sentence, not a paragraph.
const LONGEST_LABEL = 160;

/**
 * Where the label of a candidate's line starts, when the candidate is all its line holds and
 * the line before ends with a colon ("Use this code to confirm your email address:\nKXWQ-TRZM",
 * an HTML code block under "Enter this code on the sign-in page to continue:"): the whole
 * sentence ending in that colon names what the next line is, so a keyword anywhere in it labels
 * the candidate as if it stood right before it.
 *
 * @example
 * const text = 'Use this code to confirm your email:\nKXWQ';
 * labelSentenceStart(text, indexTextLayout(text), { start: 37, end: 41 }); // 0
 */
export function labelSentenceStart(text: string, layout: TextLayout, candidate: Span): number | undefined {
  if (!layout.isAloneOnLine(candidate)) return undefined;
  const lookFrom = Math.max(0, candidate.start - LOOK_BACK);
  const before = text.slice(lookFrom, candidate.start);
  if (!COLON_THEN_SPACE.test(before)) return undefined;
  const colon = lookFrom + before.lastIndexOf(':');
  const { from } = layout.sentenceAround({ start: colon, end: colon });
  return Math.max(from, colon - LONGEST_LABEL);
}

// A colon right before the code on its own line ("Ihr Bestätigungscode für Vinted: KTZQRM").
const COLON_RIGHT_BEFORE = /:[ \t]?$/;
// An inline label is short: the words before a colon in a sentence, not the sentence's story.
const LONGEST_INLINE_LABEL = 48;

/**
 * Where the inline label of a candidate starts, when a colon stands right before it: the words
 * of its sentence before that colon name it ("Your verification code for Vinted: KTZQRM"), so
 * a keyword among them labels the candidate as if it stood right before it.
 *
 * @example
 * const text = 'Ihr Bestätigungscode für Vinted: KTZQRM';
 * inlineLabelStart(text, indexTextLayout(text), { start: 33, end: 39 }); // 0
 */
export function inlineLabelStart(text: string, layout: TextLayout, candidate: Span): number | undefined {
  if (!COLON_RIGHT_BEFORE.test(text.slice(Math.max(0, candidate.start - 2), candidate.start)))
    return undefined;
  const colon = text.lastIndexOf(':', candidate.start - 1);
  return Math.max(layout.sentenceAround(candidate).from, colon - LONGEST_INLINE_LABEL);
}

// German states a code with "lautet" ("reads") at the end of the sentence that names it, however
// much the sentence says in between ("Ihre TAN für die Überweisung von 1.250,00 EUR an M. Weber,
// IBAN DE89 … lautet 618204").
const READS_BEFORE = /(?:^|[^\p{L}])lautet:?\s*$/iu;
const READS_LOOK_BACK = 10;

/**
 * Where the sentence starts whose verb "lautet" introduces the candidate, when it does: a
 * keyword anywhere in that sentence labels the candidate as if it stood right before it.
 *
 * @example
 * const text = 'Ihre TAN für die Überweisung an IBAN DE89 3704 lautet 618204';
 * readsSentenceStart(text, indexTextLayout(text), { start: 54, end: 60 }); // 0
 */
export function readsSentenceStart(text: string, layout: TextLayout, candidate: Span): number | undefined {
  if (!READS_BEFORE.test(text.slice(Math.max(0, candidate.start - READS_LOOK_BACK), candidate.start)))
    return undefined;
  return Math.max(layout.sentenceAround(candidate).from, candidate.start - LONGEST_LABEL);
}

/**
 * A gap counter for one candidate under a label line or after "lautet": keywords of the sentence (ending at
 * or after `labelStart`) count as right before the candidate; every other gap is `gap`'s.
 */
export function labelledGap(gap: GapCounter, labelStart: number, candidate: Span): GapCounter {
  return (from, to) => (to === candidate.start && from >= labelStart ? 0 : gap(from, to));
}
