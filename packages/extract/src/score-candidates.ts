import { calibratedConfidence } from './calibrate-confidence.js';
import { codeKind, shapeScore, surroundingsVerdict } from './candidate-shape.js';
import { type ContextJudgement, contextPenalty, type PenaltyInputs } from './context-penalty.js';
import type { Candidate } from './find-candidates.js';
import {
  groupKeywordsByStrength,
  type KeywordPull,
  type LettersReach,
  strongestKeywordPulls,
} from './keyword-pulls.js';
import type { ContextCategory } from './lexicon/context-phrases.js';
import type { KeywordMeta } from './lexicon/keyword-index.js';
import type { PhraseMatch } from './lexicon/phrase-matcher.js';
import { containedSpans } from './positions/contained-spans.js';
import {
  inlineLabelStart,
  labelledGap,
  labelSentenceStart,
  readsSentenceStart,
} from './positions/label-line.js';
import { meaningfulGapCounter } from './positions/meaningful-gap.js';
import { phoneNumberTest } from './positions/phone-runs.js';
import { firstIndexWhereNot } from './positions/sorted-search.js';
import { indexTextLayout, type TextLayout } from './positions/text-layout.js';
import { reportsCompletedPayment } from './receipt-sentence.js';

export type KeywordMatch = PhraseMatch<KeywordMeta>;
export type ContextMatch = PhraseMatch<ContextCategory>;

/** A normalised message with its keywords and contexts already located (each list in text order). */
export interface MessageAnalysis {
  text: string;
  folded: string;
  keywords: KeywordMatch[];
  contexts: ContextMatch[];
  candidates: Candidate[];
  allCaps: boolean;
}

/** Why a candidate scored what it did: every factor of the product, kept for explanations. */
export interface ScoreFactors {
  shape: number;
  surroundings: number;
  /** What lowered `surroundings` ("next to a currency (a price)"). */
  surroundingsSeen: readonly string[];
  context?: ContextJudgement;
  best?: KeywordPull;
  second?: KeywordPull;
  aloneOnLine: boolean;
  repeated: boolean;
  /** A 9- or 10-digit number without a keyword right before it. */
  unlabelledLong?: boolean;
  /** Printed like a number with a thousands separator (`12 345`), without a keyword right before it. */
  unlabelledNumber?: boolean;
  /** The message is about a booking, a meeting or a gift card, and the keyword could name their codes. */
  occasion?: boolean;
  /** A discount in the candidate's sentence ("code 4821 for 10% off"), and the keyword is not OTP-specific. */
  promotion?: boolean;
}

export interface ScoredCandidate {
  candidate: Candidate;
  /** 0..0.99; 0 means "not a code". */
  score: number;
  /** The score capped by the kind of evidence behind it (see `calibrate-confidence.ts`). */
  confidence: number;
  /** The keyword pulling hardest; absent when none pulls at all. */
  keyword?: KeywordMatch;
  direction?: 'before' | 'after';
  factors: ScoreFactors;
}

// Score of a perfectly shaped candidate that no keyword pulls at all: below MIN_CONFIDENCE.
const BASE = 0.3;
// Keywords that also name booking, meeting and receipt codes ("confirmation code", "passcode",
// "access code", "PIN", Turkish "onay kodu", Korean "확인 코드"): in a message about a booking, a
// meeting or a gift card they are not enough. Verification, login and one-time keywords still are.
const AMBIGUOUS_KEYWORD =
  /confirm|conferm|bevestig|bekräft|bestätig|potwierdz|подтвержд|acces|accès|zugang|toegang|dostęp|доступ|pass ?code|パスコード|pin|autori|authori|approval|onay|확인|確認|确认|mot de passe|password|codi d/;
// A meeting ID ("ID: 845 2231 0098", "ID 284 117 903 445") tells an invitation in any language,
// even when no word for "meeting" is in it: the password beside it is the meeting's.
const MEETING_ID = /\bID\s?:?\s?\d{3}[ -]?\d{3,4}[ -]?\d{3,4}\b/;
// Percentages ("20% off", "%20 indirim") give a message about discounts away in any language.
const PERCENTAGE = /\d\s?%|%\s?\d/;
const PERCENTAGES = new RegExp(PERCENTAGE.source, 'g');
// How much a non-decisive keyword is worth in a booking, meeting or gift-card message.
const OCCASION_FACTOR = 0.4;
// Longer codes (9, 10 digits) need a keyword before them in their sentence, at most this many
// meaningful characters away ("Код подтверждения операции: 8857049081", "TAN für den Auftrag
// lautet 234772860"), or right before them on an earlier line ("Your code is:\n\n2209184730"),
// and not a weak one.
const LONGEST_UNLABELLED = 8;
const LONG_CODE_GAP = 16;

function isDecisive(keyword: KeywordMatch): boolean {
  return keyword.meta.strength === 'strong' && !AMBIGUOUS_KEYWORD.test(keyword.meta.label);
}

// A letters-only code alone on its line under a label line ending in ':' may sit this many
// meaningful characters from its keyword ("Enter this code to sign in:\n\nB X R T Q W").
const LETTERS_LINE_GAP = 16;
const ENDS_WITH_COLON = /:\s*$/;

// A letters-only code that opens its sentence, and is not a label before a colon, may have a
// strong keyword after it, this many meaningful characters away ("KQZRTB is your Epic Games
// security code").
const LETTERS_AFTER_GAP = 16;
// What may stand before a sentence's first word: a bracketed sender, "<#>" (looked at no further,
// so a long sentence costs nothing more).
const SENTENCE_OPENING = 24;
const BRACKETED = /\[[^\]]*\]|\([^)]*\)|<#>/g;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

// Letters before a colon name the sender or a label ("INPS: il codice OTP … è 519027").
const LABEL_AFTER = /^\s*:/;

function opensSentence(text: string, candidate: Candidate, layout: TextLayout): boolean {
  const { from } = layout.sentenceAround(candidate);
  if (candidate.start - from > SENTENCE_OPENING) return false;
  if (LABEL_AFTER.test(text.slice(candidate.end, candidate.end + 3))) return false;
  return !WORD_CHARACTER.test(text.slice(from, candidate.start).replace(BRACKETED, ''));
}

// How far after a letters-only candidate a word is looked for (see `namesKeywordAfter`).
const WORD_LOOKAHEAD = 40;

/**
 * Capitals right before the keyword after them, with no word between, are the sender naming its
 * code ("HSBC security code is never requested"), not the code: "KQZRTB is your … code" has one.
 */
function namesKeywordAfter(best: KeywordPull, candidate: Candidate, text: string): boolean {
  if (best.direction !== 'after') return false;
  const between = text.slice(candidate.end, Math.min(best.keyword.start, candidate.end + WORD_LOOKAHEAD));
  // Two letters at least: a possessive ("HSBC's security code") is not a word between.
  return !/\p{L}{2}/u.test(between);
}

/**
 * How far a letters-only candidate may sit from its keyword: right after it, or under its label
 * line; and after it only when it opens its sentence.
 */
function lettersReach(text: string, candidate: Candidate, layout: TextLayout): LettersReach {
  const labelledLine =
    layout.isAloneOnLine(candidate) &&
    ENDS_WITH_COLON.test(text.slice(Math.max(0, candidate.start - 8), candidate.start));
  return {
    before: labelledLine ? LETTERS_LINE_GAP : 0,
    after: opensSentence(text, candidate, layout) ? LETTERS_AFTER_GAP : undefined,
  };
}

/**
 * A generic keyword followed by a space alone and a word in capitals names a place or a shop as
 * often as a code ("kod MAXI": Croatian and Serbian "at MAXI", "Kod BLIK"): letters-only codes
 * after a generic keyword need a colon or a connector ("code: ABCD", "code is ABCD").
 */
function isBareGenericLabel(best: KeywordPull, candidate: Candidate, text: string): boolean {
  return (
    best.keyword.meta.strength === 'generic' &&
    best.direction === 'before' &&
    /^[ \t]+$/.test(text.slice(best.keyword.end, candidate.start))
  );
}

/**
 * A verification or sign-in verb after a letters-only code in its sentence says what the code
 * is for ("Enter code GKXPTM to confirm your email"), which a place name after "kod" never has
 * (see {@link isBareGenericLabel}).
 */
function verbAfterInSentence(
  weak: readonly KeywordMatch[],
  layout: TextLayout,
  candidate: Candidate,
): boolean {
  const sentence = layout.sentenceAround(candidate);
  const next = weak[firstIndexWhereNot(weak, (keyword) => keyword.start < candidate.end)];
  return next !== undefined && next.end <= sentence.to;
}

/**
 * A verification or sign-in verb in the code's own sentence ("to change your seat, verify your
 * phone with code 748020") says the code is one even in a message about a booking or a meeting.
 */
function verifiesInSentence(
  best: KeywordPull,
  second: KeywordPull | undefined,
  layout: TextLayout,
  candidate: Candidate,
): boolean {
  const sentence = layout.sentenceAround(candidate);
  return [best, second].some(
    (pull) =>
      pull !== undefined &&
      pull.keyword.meta.strength === 'weak' &&
      !AMBIGUOUS_KEYWORD.test(pull.keyword.meta.label) &&
      pull.keyword.start >= sentence.from &&
      pull.keyword.end <= sentence.to,
  );
}

/** Where promotion words and percentages stand, in text order, found once per message. */
function discountPositions(text: string, contexts: readonly ContextMatch[]): number[] {
  const positions = contexts.filter((context) => context.meta === 'promo').map((context) => context.start);
  for (const match of text.matchAll(PERCENTAGES)) positions.push(match.index);
  return positions.sort((a, b) => a - b);
}

function inSentence(positions: readonly number[], sentence: { from: number; to: number }): boolean {
  const first = positions[firstIndexWhereNot(positions, (position) => position < sentence.from)];
  return first !== undefined && first < sentence.to;
}

function labelsLongCode(best: KeywordPull, candidate: Candidate, layout: TextLayout): boolean {
  return (
    best.direction === 'before' &&
    best.keyword.meta.strength !== 'weak' &&
    (best.gap === 0 ||
      (best.gap <= LONG_CODE_GAP && layout.sentenceAround(candidate).from <= best.keyword.start))
  );
}

function rejected(candidate: Candidate, factors: Partial<ScoreFactors>): ScoredCandidate {
  return {
    candidate,
    score: 0,
    confidence: 0,
    factors: {
      shape: 0,
      surroundings: 0,
      surroundingsSeen: [],
      aloneOnLine: false,
      repeated: false,
      ...factors,
    },
  };
}

/**
 * Scores every candidate of a message; 0 means "not a code". The score multiplies the token's
 * shape, its surroundings and its context, and grows with the pull of the nearest keywords
 * (the best one, plus half of what the second adds). Candidates that score 0 are left out
 * unless `keepRejected` (explanations list them with the reason).
 *
 * Cost is linear in the message (plus a sort of the candidates): positions, distances, lines
 * and sentences are indexed once, and each candidate looks only at the keywords and contexts
 * next to it, found by binary search.
 *
 * @example
 * scoreCandidates(analyzeMessage('Your verification code is 123456'))[0]?.candidate.code; // '123456'
 */
export function scoreCandidates(analysis: MessageAnalysis, keepRejected = false): ScoredCandidate[] {
  const { candidates, text, folded } = analysis;
  const scored: ScoredCandidate[] = [];
  // Most messages have no keyword: then no candidate can score, and nothing needs indexing.
  if (candidates.length === 0 || analysis.keywords.length === 0) {
    if (keepRejected) for (const candidate of candidates) scored.push(rejected(candidate, {}));
    return scored;
  }
  const layout = indexTextLayout(text);
  const gap = meaningfulGapCounter(folded);
  const isPhoneNumber = phoneNumberTest(text);
  const keywords = groupKeywordsByStrength(analysis.keywords);
  const penaltyInputs: PenaltyInputs = {
    text,
    folded,
    keywords: analysis.keywords,
    contexts: analysis.contexts,
    expired: analysis.contexts.filter((context) => context.meta === 'expired'),
    hasPromo: analysis.contexts.some((context) => context.meta === 'promo') || PERCENTAGE.test(text),
    layout,
  };
  // Found on first need: only candidates whose best keyword is not decisive ask.
  let occasionFound: boolean | undefined;
  const aboutOccasion = (): boolean => {
    occasionFound ??=
      analysis.contexts.some((context) => context.meta === 'occasion') ||
      MEETING_ID.test(text) ||
      reportsCompletedPayment(text, layout);
    return occasionFound;
  };
  // Found on first need: only candidates without an OTP-specific keyword look at discounts.
  let discounts: number[] | undefined;
  const discountsInMessage = (): number[] => {
    discounts ??= discountPositions(text, analysis.contexts);
    return discounts;
  };
  // An advert that says "code" but nothing about verifying or signing in anywhere, and has spoken
  // of its offer before the code ("Starbucks Rewards: … Use code 4418 for a free pastry", "Take
  // an extra 25% off with code\nBF25XTRA"): its code is the offer's, even in a sentence of its
  // own. An offer only after the code is a footer ("Your code is 482913. Get 10% off…").
  const onlyCodeWord = analysis.keywords.every((keyword) => keyword.meta.strength === 'generic');
  const offerBefore = (candidate: Candidate): boolean =>
    onlyCodeWord && (discountsInMessage()[0] ?? Number.POSITIVE_INFINITY) < candidate.start;
  // A token inside a longer group (`1234` in `1234 5678`) is judged as the group.
  const contained = containedSpans(candidates);
  const timesSeen = new Map<string, number>();
  for (const { code } of candidates) timesSeen.set(code, (timesSeen.get(code) ?? 0) + 1);
  candidates.forEach((candidate, index) => {
    if (contained[index]) return;
    const shape = shapeScore(candidate, analysis.allCaps);
    if (shape === 0) {
      if (keepRejected) scored.push(rejected(candidate, {}));
      return;
    }
    const around = surroundingsVerdict(text, folded, candidate, isPhoneNumber);
    if (around.score === 0) {
      if (keepRejected) scored.push(rejected(candidate, { shape, surroundingsSeen: around.seen }));
      return;
    }
    const lettersOnly = codeKind(candidate.code) === 'alphabetic';
    const labelStart =
      labelSentenceStart(text, layout, candidate) ??
      readsSentenceStart(text, layout, candidate) ??
      inlineLabelStart(text, layout, candidate);
    const [best, second] = strongestKeywordPulls(
      keywords,
      labelStart === undefined ? gap : labelledGap(gap, labelStart, candidate),
      candidate,
      lettersOnly ? lettersReach(text, candidate, layout) : undefined,
    );
    const bareLetters =
      lettersOnly &&
      best !== undefined &&
      ((isBareGenericLabel(best, candidate, text) &&
        !verbAfterInSentence(keywords.get('weak') ?? [], layout, candidate)) ||
        namesKeywordAfter(best, candidate, text));
    // Why a keyword-pulled candidate still loses, recorded for --explain beside what it was scored on.
    const reject = (why: Partial<ScoreFactors> = {}) => {
      if (keepRejected)
        scored.push(
          rejected(candidate, { shape, surroundings: around.score, surroundingsSeen: around.seen, ...why }),
        );
    };
    if (!best || bareLetters) {
      reject();
      return;
    }
    const labelled = best.direction === 'before' && best.gap === 0;
    // `12 345` is a number with a thousands separator unless a keyword labels it.
    if (candidate.thousands && !(labelled && best.keyword.meta.strength !== 'weak')) {
      reject({ unlabelledNumber: true });
      return;
    }
    // 9- and 10-digit numbers are account, phone and card numbers unless a keyword labels them.
    if (candidate.code.length > LONGEST_UNLABELLED && !labelsLongCode(best, candidate, layout)) {
      reject({ unlabelledLong: true });
      return;
    }
    const pull = best.pull + 0.5 * (second?.pull ?? 0) * (1 - best.pull);
    const context = contextPenalty(penaltyInputs, candidate, labelled);
    let score = shape * around.score * context.penalty * (BASE + (1 - BASE) * pull);
    const occasion =
      !isDecisive(best.keyword) && aboutOccasion() && !verifiesInSentence(best, second, layout, candidate);
    if (occasion) score *= OCCASION_FACTOR;
    const promotion =
      best.keyword.meta.strength !== 'strong' &&
      (inSentence(discountsInMessage(), layout.sentenceAround(candidate)) || offerBefore(candidate)) &&
      !verifiesInSentence(best, second, layout, candidate);
    if (promotion) score *= OCCASION_FACTOR;
    const aloneOnLine = layout.isAloneOnLine(candidate);
    const repeated = (timesSeen.get(candidate.code) ?? 0) > 1;
    if (aloneOnLine) score += 0.06;
    if (repeated) score += 0.04;
    const entry: ScoredCandidate = {
      candidate,
      score: Math.min(0.99, score),
      confidence: 0,
      keyword: best.keyword,
      direction: best.direction,
      factors: {
        shape,
        surroundings: around.score,
        surroundingsSeen: around.seen,
        context,
        best,
        second,
        aloneOnLine,
        repeated,
        occasion,
        promotion,
      },
    };
    entry.confidence = calibratedConfidence(entry);
    scored.push(entry);
  });
  // Confidence first: a code backed by "verification code" beats one a bare "PIN" scores higher.
  return scored.sort(
    (a, b) => b.confidence - a.confidence || b.score - a.score || a.candidate.start - b.candidate.start,
  );
}
