import type { KeywordMeta, KeywordStrength } from './lexicon/keyword-index.js';
import type { PhraseMatch } from './lexicon/phrase-matcher.js';
import type { GapCounter } from './positions/meaningful-gap.js';
import { firstIndexWhereNot } from './positions/sorted-search.js';
import type { Span } from './positions/text-layout.js';

type KeywordMatch = PhraseMatch<KeywordMeta>;

export interface KeywordPull {
  keyword: KeywordMatch;
  direction: 'before' | 'after';
  pull: number;
  /** Meaningful characters between the keyword and the candidate (connectors not counted). */
  gap: number;
}

const STRENGTHS: readonly KeywordStrength[] = ['strong', 'generic', 'weak'];
const STRENGTH_WEIGHT: Record<KeywordStrength, number> = { strong: 1, generic: 0.8, weak: 0.55 };
// Distance (in meaningful characters) at which a keyword's pull has halved.
const HALF_DISTANCE = 20;
// Keywords tied at the same distance are all kept (the earliest wins a tie), up to this many.
const MAX_TIED = 8;

/**
 * How far keywords may sit from a letters-only candidate, in meaningful characters: `before` it
 * (a label that is not weak), and `after` it when given (a strong keyword only: "KQZRTB is your
 * Epic Games security code").
 */
export interface LettersReach {
  before: number;
  after?: number;
}

/** Keywords of one message split by strength, each list in text order (they never overlap). */
export type KeywordsByStrength = ReadonlyMap<KeywordStrength, readonly KeywordMatch[]>;

/**
 * Groups a message's keywords by strength once, for {@link strongestKeywordPulls}.
 *
 * @example
 * groupKeywordsByStrength(analyzeMessage('Your verification code is 123456').keywords).get('strong')?.length; // 1
 */
export function groupKeywordsByStrength(keywords: readonly KeywordMatch[]): KeywordsByStrength {
  const groups = new Map<KeywordStrength, KeywordMatch[]>(STRENGTHS.map((strength) => [strength, []]));
  for (const keyword of keywords) groups.get(keyword.meta.strength)?.push(keyword);
  return groups;
}

function pullOf(keyword: KeywordMatch, gap: number, before: boolean): number {
  return (STRENGTH_WEIGHT[keyword.meta.strength] / (1 + gap / HALF_DISTANCE)) * (before ? 1 : 0.9);
}

/** The nearest keywords of one list on one side: the best pulls and any tied with them. */
function nearestOnSide(
  keywords: readonly KeywordMatch[],
  candidate: Span,
  before: boolean,
  gapOf: (keyword: KeywordMatch) => number,
): Array<{ keyword: KeywordMatch; gap: number }> {
  const nearest: Array<{ keyword: KeywordMatch; gap: number }> = [];
  const firstAfter = firstIndexWhereNot(keywords, (keyword) => keyword.start < candidate.end);
  const step = before ? -1 : 1;
  let index = before
    ? firstIndexWhereNot(keywords, (keyword) => keyword.end <= candidate.start) - 1
    : firstAfter;
  for (; index >= 0 && index < keywords.length && nearest.length < MAX_TIED; index += step) {
    const keyword = keywords[index] as KeywordMatch;
    const gap = gapOf(keyword);
    // Farther keywords have a gap at least as large, so a pull at most as strong. (Three, not
    // two: a short gap is measured on its own text, which can differ by a connector at its edge.)
    if (nearest.length >= 3 && gap > (nearest.at(-1)?.gap ?? 0)) break;
    nearest.push({ keyword, gap });
  }
  return nearest;
}

/**
 * The keywords pulling hardest on a candidate, strongest first (ties: earlier keyword first).
 * Only the nearest keywords of each strength on each side can win, because the pull only falls
 * with distance; distances come from a precomputed {@link GapCounter}, so a candidate costs a
 * few binary searches however many keywords the message holds. `letters` is given for a
 * letters-only candidate: only keywords that are not weak, at most `letters.before` meaningful
 * characters before it, count, and strong ones at most `letters.after` after it.
 *
 * @example
 * const analysis = analyzeMessage('Your code is 123456');
 * const keywords = groupKeywordsByStrength(analysis.keywords);
 * strongestKeywordPulls(keywords, meaningfulGapCounter(analysis.folded), analysis.candidates[0])[0]?.direction; // 'before'
 */
export function strongestKeywordPulls(
  keywords: KeywordsByStrength,
  gap: GapCounter,
  candidate: Span,
  letters?: LettersReach,
): KeywordPull[] {
  const pulls: KeywordPull[] = [];
  const lettersOnly = letters !== undefined;
  const sides = letters && letters.after === undefined ? [true] : [true, false];
  for (const strength of STRENGTHS) {
    // A letters-only code must sit right after a label that is not weak ("code: ABCD").
    if (lettersOnly && strength === 'weak') continue;
    const list = keywords.get(strength) ?? [];
    for (const before of sides) {
      if (letters && !before && strength !== 'strong') continue;
      const reach = letters && (before ? letters.before : (letters.after ?? 0));
      const gapOf = (keyword: KeywordMatch) =>
        before ? gap(keyword.end, candidate.start) : gap(candidate.end, keyword.start);
      for (const { keyword, gap: distance } of nearestOnSide(list, candidate, before, gapOf)) {
        if (reach !== undefined && distance > reach) continue;
        pulls.push({
          keyword,
          direction: before ? 'before' : 'after',
          pull: pullOf(keyword, distance, before),
          gap: distance,
        });
      }
    }
  }
  // Text order first, so the stable sort below breaks ties the way a left-to-right scan would.
  pulls.sort((a, b) => a.keyword.start - b.keyword.start);
  return pulls.sort((a, b) => b.pull - a.pull);
}
