import { codeKind, shapeScore, surroundingsScore } from './candidate-shape.js';
import type { Candidate } from './find-candidates.js';
import { CONTEXT_PENALTY, type ContextCategory } from './lexicon/context-phrases.js';
import { CONNECTOR_MATCHER, type KeywordMeta, type KeywordStrength } from './lexicon/keyword-index.js';
import type { PhraseMatch } from './lexicon/phrase-matcher.js';

export type KeywordMatch = PhraseMatch<KeywordMeta>;
export type ContextMatch = PhraseMatch<ContextCategory>;

/** A normalised message with its keywords and contexts already located. */
export interface MessageAnalysis {
  text: string;
  folded: string;
  keywords: KeywordMatch[];
  contexts: ContextMatch[];
  candidates: Candidate[];
  allCaps: boolean;
}

export interface ScoredCandidate {
  candidate: Candidate;
  score: number;
  keyword: KeywordMatch;
  direction: 'before' | 'after';
}

interface KeywordPull {
  keyword: KeywordMatch;
  direction: 'before' | 'after';
  pull: number;
}

const STRENGTH_WEIGHT: Record<KeywordStrength, number> = { strong: 1, generic: 0.8, weak: 0.55 };
// Distance (in meaningful characters) at which a keyword's pull has halved.
const HALF_DISTANCE = 20;
const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 30;
// Score of a perfectly shaped candidate that no keyword pulls at all: below MIN_CONFIDENCE.
const BASE = 0.3;
const SENTENCE_END = /[.!?。！？।؟]/;
// Discount codes are a word and a percentage or amount: SAVE20, WELCOME10, FLASH40.
const PROMO_SHAPE = /^[A-Z]{3,}\d{1,3}$/;

/** Characters between keyword and code that are not connectors, spaces or punctuation. */
function meaningfulGap(folded: string): number {
  let remaining = '';
  let from = 0;
  for (const connector of CONNECTOR_MATCHER.find(folded)) {
    remaining += folded.slice(from, connector.start);
    from = connector.end;
  }
  remaining += folded.slice(from);
  return remaining.replace(/[\s\p{P}\p{S}]/gu, '').length;
}

function keywordPulls(analysis: MessageAnalysis, candidate: Candidate): KeywordPull[] {
  const lettersOnly = codeKind(candidate.code) === 'alphabetic';
  const pulls: KeywordPull[] = [];
  for (const keyword of analysis.keywords) {
    const before = keyword.end <= candidate.start;
    if (!before && keyword.start < candidate.end) continue;
    if (lettersOnly && (!before || keyword.meta.strength === 'weak')) continue;
    const gap = meaningfulGap(
      before
        ? analysis.folded.slice(keyword.end, candidate.start)
        : analysis.folded.slice(candidate.end, keyword.start),
    );
    // A letters-only code must sit right after its label ("code: ABCD").
    if (lettersOnly && gap > 0) continue;
    const pull = (STRENGTH_WEIGHT[keyword.meta.strength] / (1 + gap / HALF_DISTANCE)) * (before ? 1 : 0.9);
    pulls.push({ keyword, direction: before ? 'before' : 'after', pull });
  }
  return pulls.sort((a, b) => b.pull - a.pull);
}

function isSentenceEnd(text: string, index: number): boolean {
  return SENTENCE_END.test(text[index] ?? '') && !/\d/.test(text[index + 1] ?? '');
}

/** Where the phrase describing a candidate can start: same sentence, after the nearest keyword. */
function windowStart(analysis: MessageAnalysis, candidate: Candidate): number {
  const { text } = analysis;
  let from = Math.max(0, candidate.start - WINDOW_BEFORE);
  for (let index = candidate.start - 1; index >= from; index--) {
    // A line ending in ':' labels the next line ("Order number:\n12345").
    const lineEnd = text[index] === '\n' && !/:\s*$/.test(text.slice(Math.max(0, index - 3), index));
    if (lineEnd || isSentenceEnd(text, index)) {
      from = index + 1;
      break;
    }
  }
  for (const keyword of analysis.keywords) {
    if (keyword.end <= candidate.start && keyword.end > from) from = keyword.end;
  }
  return from;
}

function windowEnd(analysis: MessageAnalysis, candidate: Candidate): number {
  const { text } = analysis;
  let to = Math.min(text.length, candidate.end + WINDOW_AFTER);
  for (let index = candidate.end; index < to; index++) {
    // A next line starting in lower case continues the sentence ("FLASH40\nat checkout").
    const lineEnd = text[index] === '\n' && !/^\n?[a-z]/.test(text.slice(index + 1, index + 3));
    if (lineEnd || isSentenceEnd(text, index)) {
      to = index;
      break;
    }
  }
  for (const keyword of analysis.keywords) {
    if (keyword.start >= candidate.end && keyword.start < to) to = keyword.start;
  }
  return to;
}

/** The sentence around a candidate: "expired" anywhere in it voids the code. */
function sentenceBounds(text: string, candidate: Candidate): { from: number; to: number } {
  let from = candidate.start;
  while (from > 0 && text[from - 1] !== '\n' && !isSentenceEnd(text, from - 1)) from--;
  let to = candidate.end;
  while (to < text.length && text[to] !== '\n' && !isSentenceEnd(text, to)) to++;
  return { from, to };
}

function contextPenalty(analysis: MessageAnalysis, candidate: Candidate): number {
  const from = windowStart(analysis, candidate);
  const to = windowEnd(analysis, candidate);
  const sentence = sentenceBounds(analysis.text, candidate);
  const { folded } = analysis;
  const seen = new Set<ContextCategory>();
  for (const context of analysis.contexts) {
    if (context.meta === 'expired') {
      if (context.start >= sentence.from && context.end <= sentence.to) seen.add(context.meta);
      continue;
    }
    // A context describes the nearest number: "card ending 7731 is 903815" is about 7731.
    const describesBefore =
      context.end <= candidate.start &&
      context.end > from &&
      !/\d/.test(folded.slice(context.end, candidate.start));
    // "(Ref: KXBD)" after a code labels the token that follows it, not the code.
    const describesAfter =
      context.start >= candidate.end &&
      context.start < to &&
      !/\d/.test(folded.slice(candidate.end, context.start)) &&
      !/^\s*(?:[:#]\s*[\p{L}\p{N}]|\d)/u.test(folded.slice(context.end, context.end + 4));
    if (describesBefore || describesAfter) seen.add(context.meta);
  }
  let penalty = 1;
  for (const category of seen) penalty *= CONTEXT_PENALTY[category];
  if (PROMO_SHAPE.test(candidate.code) && analysis.contexts.some((context) => context.meta === 'promo')) {
    penalty *= 0.3;
  }
  return penalty;
}

function isAloneOnLine(text: string, candidate: Candidate): boolean {
  const lineStart = text.lastIndexOf('\n', candidate.start - 1) + 1;
  const lineEnd = text.indexOf('\n', candidate.end);
  return (
    text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim() ===
    text.slice(candidate.start, candidate.end)
  );
}

/**
 * Scores every candidate of a message; 0 means "not a code". The score multiplies the token's
 * shape, its surroundings and its context, and grows with the pull of the nearest keywords
 * (the best one, plus half of what the second adds).
 *
 * @example
 * scoreCandidates(analyzeMessage('Your verification code is 123456'))[0]?.candidate.code; // '123456'
 */
export function scoreCandidates(analysis: MessageAnalysis): ScoredCandidate[] {
  const scored: ScoredCandidate[] = [];
  const { candidates, text } = analysis;
  for (const candidate of candidates) {
    // A token inside a longer group (`1234` in `1234 5678`) is judged as the group.
    if (
      candidates.some(
        (other) => other !== candidate && other.start <= candidate.start && other.end >= candidate.end,
      )
    ) {
      continue;
    }
    const shape = shapeScore(candidate, analysis.allCaps);
    if (shape === 0) continue;
    const surroundings = surroundingsScore(text, analysis.folded, candidate);
    if (surroundings === 0) continue;
    const [best, second] = keywordPulls(analysis, candidate);
    if (!best) continue;
    const pull = best.pull + 0.5 * (second?.pull ?? 0) * (1 - best.pull);
    let score = shape * surroundings * contextPenalty(analysis, candidate) * (BASE + (1 - BASE) * pull);
    if (isAloneOnLine(text, candidate)) score += 0.06;
    if (candidates.some((other) => other !== candidate && other.code === candidate.code)) score += 0.04;
    scored.push({
      candidate,
      score: Math.min(0.99, score),
      keyword: best.keyword,
      direction: best.direction,
    });
  }
  return scored.sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start);
}
