import { codeKind, shapeScore, surroundingsScore } from './candidate-shape.js';
import { contextPenalty, type PenaltyInputs } from './context-penalty.js';
import type { Candidate } from './find-candidates.js';
import { groupKeywordsByStrength, strongestKeywordPulls } from './keyword-pulls.js';
import type { ContextCategory } from './lexicon/context-phrases.js';
import type { KeywordMeta } from './lexicon/keyword-index.js';
import type { PhraseMatch } from './lexicon/phrase-matcher.js';
import { containedSpans } from './positions/contained-spans.js';
import { meaningfulGapCounter } from './positions/meaningful-gap.js';
import { phoneNumberTest } from './positions/phone-runs.js';
import { indexTextLayout } from './positions/text-layout.js';

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

export interface ScoredCandidate {
  candidate: Candidate;
  score: number;
  keyword: KeywordMatch;
  direction: 'before' | 'after';
}

// Score of a perfectly shaped candidate that no keyword pulls at all: below MIN_CONFIDENCE.
const BASE = 0.3;

/**
 * Scores every candidate of a message; 0 means "not a code". The score multiplies the token's
 * shape, its surroundings and its context, and grows with the pull of the nearest keywords
 * (the best one, plus half of what the second adds).
 *
 * Cost is linear in the message (plus a sort of the candidates): positions, distances, lines
 * and sentences are indexed once, and each candidate looks only at the keywords and contexts
 * next to it, found by binary search.
 *
 * @example
 * scoreCandidates(analyzeMessage('Your verification code is 123456'))[0]?.candidate.code; // '123456'
 */
export function scoreCandidates(analysis: MessageAnalysis): ScoredCandidate[] {
  const { candidates, text, folded } = analysis;
  const scored: ScoredCandidate[] = [];
  // Most messages have no keyword: then no candidate can score, and nothing needs indexing.
  if (candidates.length === 0 || analysis.keywords.length === 0) return scored;
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
    hasPromo: analysis.contexts.some((context) => context.meta === 'promo'),
    layout,
  };
  // A token inside a longer group (`1234` in `1234 5678`) is judged as the group.
  const contained = containedSpans(candidates);
  const timesSeen = new Map<string, number>();
  for (const { code } of candidates) timesSeen.set(code, (timesSeen.get(code) ?? 0) + 1);
  candidates.forEach((candidate, index) => {
    if (contained[index]) return;
    const shape = shapeScore(candidate, analysis.allCaps);
    if (shape === 0) return;
    const surroundings = surroundingsScore(text, folded, candidate, isPhoneNumber);
    if (surroundings === 0) return;
    const lettersOnly = codeKind(candidate.code) === 'alphabetic';
    const [best, second] = strongestKeywordPulls(keywords, gap, candidate, lettersOnly);
    if (!best) return;
    const pull = best.pull + 0.5 * (second?.pull ?? 0) * (1 - best.pull);
    let score = shape * surroundings * contextPenalty(penaltyInputs, candidate) * (BASE + (1 - BASE) * pull);
    if (layout.isAloneOnLine(candidate)) score += 0.06;
    if ((timesSeen.get(candidate.code) ?? 0) > 1) score += 0.04;
    scored.push({
      candidate,
      score: Math.min(0.99, score),
      keyword: best.keyword,
      direction: best.direction,
    });
  });
  return scored.sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start);
}
