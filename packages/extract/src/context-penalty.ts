import { CONTEXT_PENALTY, type ContextCategory } from './lexicon/context-phrases.js';
import type { KeywordMeta } from './lexicon/keyword-index.js';
import type { PhraseMatch } from './lexicon/phrase-matcher.js';
import { firstIndexWhereNot } from './positions/sorted-search.js';
import { isSentenceEnd, type Span, type TextLayout } from './positions/text-layout.js';

type ContextMatch = PhraseMatch<ContextCategory>;

/** What {@link contextPenalty} needs of a message; every list is in text order. */
export interface PenaltyInputs {
  text: string;
  folded: string;
  keywords: ReadonlyArray<PhraseMatch<KeywordMeta>>;
  contexts: readonly ContextMatch[];
  /** The `expired` contexts alone. */
  expired: readonly ContextMatch[];
  hasPromo: boolean;
  layout: TextLayout;
}

const WINDOW_BEFORE = 40;
// How far back the sentence a keyword opens is looked for (see `windowStart`).
const SENTENCE_BEFORE = 120;
const WINDOW_AFTER = 30;
// Discount codes are a word and a percentage, an amount or a year: SAVE20, WELCOME10, FLASH40,
// GIAM50K, TET2026.
const PROMO_SHAPE = /^(?:[A-Z]{2,}(?:\d{1,3}|20\d\d)K?|\d{1,2}[A-Z]{3,}\d{0,3})$/;
const DIGIT = /\d/;
// A context followed by its own number ("flight BA 2490", "Ref No. 7712") labels that number.
const LABELS_NEXT_TOKEN = /^\s*(?:[.:#=]\s*[\p{L}\p{N}]|(?:[a-z]{1,3}\s?)?\d)/u;
// "Ref No. 771203", "Nr. 5521": the full stop of an abbreviated label does not end the sentence.
const ABBREVIATED_LABEL = /(?:^|[^\p{L}])(?:no|nr|ref|tel|id|n°|num|art)$/iu;

function endsSentence(text: string, index: number): boolean {
  if (!isSentenceEnd(text, index)) return false;
  return !(text[index] === '.' && ABBREVIATED_LABEL.test(text.slice(Math.max(0, index - 4), index)));
}

// What a context names when a keyword earlier in the sentence already names the code: the thing
// the code is for ("code to verify your account:\n123456", "confirm your phone number, enter
// 123456", "TAN für den Auftrag lautet 123456"), unless it labels the number itself ("Account:
// 12345678", "order #4471"). Promo and occasion words speak against a code wherever they stand.
const OBJECT_CATEGORIES: ReadonlySet<ContextCategory> = new Set(['money', 'reference', 'contact']);
// Only spaces, a colon, '#', a full stop or a hyphen on one line: the context labels what follows.
const LABEL_GAP = /^[ \t:#.-]*$/;
// A context joined to the keyword after it by a space or hyphen forms one noun with it.
const KEYWORD_JOIN = /^[ \t-]{0,2}$/;
// After a code, German and Dutch put the object before its verb with 'zu'/'te' between ("812043,
// um deine Telefonnummer zu bestätigen"): the object names what the code is for, not the code.
const OBJECT_BEFORE_VERB = /^[ \t-]{0,2}(?:(?:zu|te)[ \t]{1,2})?$/;

/** Where the phrase describing a candidate can start, and whether a keyword of its sentence starts it. */
function windowStart(
  inputs: PenaltyInputs,
  candidate: Span,
): { from: number; afterKeyword: boolean; weakKeyword: boolean } {
  const { text, keywords } = inputs;
  // The sentence is looked for farther back than the window reaches: a keyword that opens a long
  // label ("Your one-time passcode for the Social Security online account is:\n47102938") still
  // makes what follows it the thing the code is for.
  let sentenceFrom = Math.max(0, candidate.start - SENTENCE_BEFORE);
  for (let index = candidate.start - 1; index >= sentenceFrom; index--) {
    // A line ending in ':' labels the next line ("Order number:\n12345").
    const lineEnd = text[index] === '\n' && !/:\s*$/.test(text.slice(Math.max(0, index - 3), index));
    if (lineEnd || endsSentence(text, index)) {
      sentenceFrom = index + 1;
      break;
    }
  }
  const from = Math.max(sentenceFrom, candidate.start - WINDOW_BEFORE);
  const nearestBefore =
    keywords[firstIndexWhereNot(keywords, (keyword) => keyword.end <= candidate.start) - 1];
  return nearestBefore && nearestBefore.end > sentenceFrom
    ? {
        from: Math.max(nearestBefore.end, from),
        afterKeyword: true,
        weakKeyword: nearestBefore.meta.strength === 'weak',
      }
    : { from, afterKeyword: false, weakKeyword: false };
}

/** Where the phrase describing a candidate ends, and whether a keyword after it ends it there. */
function windowEnd(inputs: PenaltyInputs, candidate: Span): { to: number; beforeKeyword: boolean } {
  const { text, keywords } = inputs;
  let to = Math.min(text.length, candidate.end + WINDOW_AFTER);
  for (let index = candidate.end; index < to; index++) {
    // A next line starting in lower case continues the sentence ("FLASH40\nat checkout").
    const lineEnd = text[index] === '\n' && !/^\n?[a-z]/.test(text.slice(index + 1, index + 3));
    if (lineEnd || endsSentence(text, index)) {
      to = index;
      break;
    }
  }
  const nearestAfter = keywords[firstIndexWhereNot(keywords, (keyword) => keyword.start < candidate.end)];
  return nearestAfter && nearestAfter.start < to
    ? { to: nearestAfter.start, beforeKeyword: true }
    : { to, beforeKeyword: false };
}

/** Contexts describing the candidate, in text order: only those inside its bounded window. */
function describingContexts(inputs: PenaltyInputs, candidate: Span, labelled: boolean): ContextMatch[] {
  const { contexts, folded } = inputs;
  const { from, afterKeyword, weakKeyword } = windowStart(inputs, candidate);
  const { to, beforeKeyword } = windowEnd(inputs, candidate);
  const found: ContextMatch[] = [];
  // A context describes the nearest number: "card ending 7731 is 903815" is about 7731.
  for (
    let index = firstIndexWhereNot(contexts, (context) => context.end <= from);
    index < contexts.length && (contexts[index]?.end ?? 0) <= candidate.start;
    index++
  ) {
    const context = contexts[index] as ContextMatch;
    const between = folded.slice(context.end, candidate.start);
    if (context.meta === 'expired' || DIGIT.test(between)) continue;
    if (afterKeyword && OBJECT_CATEGORIES.has(context.meta) && !LABEL_GAP.test(between)) continue;
    // "Mã kích hoạt tài khoản: 482913", "Mã OTP giao dịch: 482913" (account activation code,
    // transaction OTP): a money word joined to the noun keyword before it qualifies that keyword,
    // the way it does after a code ("Use 4821 as Microsoft account security code"). After a verb
    // it is the verb's object, and labels its own number ("confirm payment 771203").
    if (
      afterKeyword &&
      !weakKeyword &&
      context.meta === 'money' &&
      KEYWORD_JOIN.test(folded.slice(from, context.start))
    )
      continue;
    found.push(context);
  }
  // "(Ref: KXBD)" after a code labels the token that follows it, not the code.
  for (
    let index = firstIndexWhereNot(contexts, (context) => context.start < candidate.end);
    index < contexts.length && (contexts[index]?.start ?? to) < to;
    index++
  ) {
    const context = contexts[index] as ContextMatch;
    // "Your code 660914 for payment of GBP 120": a code its keyword labels may be for a payment.
    if (labelled && context.meta === 'money') continue;
    // "Use 4821 as Microsoft account security code": a word right before the keyword after the
    // code qualifies that keyword, not the code.
    if (
      beforeKeyword &&
      OBJECT_CATEGORIES.has(context.meta) &&
      OBJECT_BEFORE_VERB.test(folded.slice(context.end, to))
    )
      continue;
    if (
      context.meta !== 'expired' &&
      !DIGIT.test(folded.slice(candidate.end, context.start)) &&
      // A promotion word followed by a number gives the discount ("giảm giá 50K"), not a label.
      (context.meta === 'promo' || !LABELS_NEXT_TOKEN.test(folded.slice(context.end, context.end + 8)))
    ) {
      found.push(context);
    }
  }
  // "expired" anywhere in the candidate's sentence voids the code.
  const sentence = inputs.layout.sentenceAround(candidate);
  const expired =
    inputs.expired[firstIndexWhereNot(inputs.expired, (context) => context.start < sentence.from)];
  if (expired && expired.end <= sentence.to) found.push(expired);
  return found.sort((a, b) => a.start - b.start);
}

/** What the contexts around a candidate say about it. */
export interface ContextJudgement {
  /** Multiplier, 1 = no penalty. */
  penalty: number;
  /** The contexts describing the candidate, in text order. */
  contexts: ContextMatch[];
  /** A discount-shaped token (SAVE20) in a message that talks about promotions. */
  promoShaped: boolean;
}

/**
 * Multiplier (1 = no penalty) from the contexts describing a candidate: an order number, a
 * price, a promo code, an expired code. Looks only at the contexts within a bounded window
 * around the candidate and at the first `expired` of its sentence. `labelled`: a keyword sits
 * right before the candidate, so money words after it say what the code is for.
 *
 * @example
 * contextPenalty(inputs, { start: 14, end: 20, code: '123456', grouped: false }).penalty; // 1 for "Your code is 123456"
 */
export function contextPenalty(
  inputs: PenaltyInputs,
  candidate: Span & { code: string },
  labelled = false,
): ContextJudgement {
  const contexts = describingContexts(inputs, candidate, labelled);
  const seen = new Set<ContextCategory>();
  for (const context of contexts) seen.add(context.meta);
  let penalty = 1;
  for (const category of seen) penalty *= CONTEXT_PENALTY[category];
  const promoShaped = PROMO_SHAPE.test(candidate.code) && inputs.hasPromo;
  if (promoShaped) penalty *= 0.3;
  return { penalty, contexts, promoShaped };
}
