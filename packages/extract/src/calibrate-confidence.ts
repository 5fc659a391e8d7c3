import type { ScoredCandidate } from './score-candidates.js';

/**
 * Confidence ceilings by kind of evidence. The raw score ranks candidates; the confidence a
 * caller sees must also say how often that kind of evidence has been right, so a score of 0.99
 * earned from a bare "PIN" is not reported like one earned from "verification code". Results at
 * 0.9 and above therefore always rest on an OTP-specific keyword with nothing against the code
 * (`test/confidence-calibration.test.ts` measures it by bucket on the tuning corpus).
 */
const CEILING = {
  /** A word for "code" or "PIN" alone: also names promo, booking and gift-card codes. */
  genericKeyword: 0.89,
  /** A verb near the code ("verify", "confirm"): weak evidence. */
  weakKeyword: 0.75,
  /** A context (order, price, booking…) or an unusual shape pulled the score down. */
  contradicted: 0.85,
  /** 9 or 10 digits, fewer than 4 (a sender's known format), letters one by one, glued or uneven groups. */
  unusualShape: 0.85,
} as const;

function isUnusualShape(candidate: ScoredCandidate['candidate']): boolean {
  return candidate.unusual === true || candidate.code.length > 8 || candidate.knownFormat !== undefined;
}

function isContradicted({ factors }: ScoredCandidate): boolean {
  return (
    (factors.context?.penalty ?? 1) < 1 ||
    factors.surroundings < 1 ||
    factors.occasion === true ||
    factors.promotion === true
  );
}

/** What capped a candidate's confidence, for explanations; empty when nothing did. */
export function confidenceCaps(scored: ScoredCandidate): Array<{ ceiling: number; why: string }> {
  const caps: Array<{ ceiling: number; why: string }> = [];
  const { keyword, candidate } = scored;
  if (!keyword) return caps;
  if (keyword.meta.strength === 'generic')
    caps.push({ ceiling: CEILING.genericKeyword, why: 'only a generic keyword' });
  if (keyword.meta.strength === 'weak')
    caps.push({ ceiling: CEILING.weakKeyword, why: 'only a weak keyword' });
  if (isContradicted(scored))
    caps.push({ ceiling: CEILING.contradicted, why: 'something around it speaks against it' });
  if (isUnusualShape(candidate))
    caps.push({ ceiling: CEILING.unusualShape, why: 'an unusual length or grouping' });
  return caps;
}

/**
 * The confidence reported for a scored candidate: its score, no higher than the ceiling of the
 * weakest evidence behind it, rounded to two decimals.
 *
 * @example
 * calibratedConfidence(scoreCandidates(analyzeMessage('PIN: 4821'))[0]); // at most 0.89
 */
export function calibratedConfidence(scored: ScoredCandidate): number {
  // The same ceilings as `confidenceCaps`, without building its list: this runs for every candidate.
  const { keyword, candidate } = scored;
  let confidence = scored.score;
  if (keyword) {
    const strength = keyword.meta.strength;
    if (strength === 'generic') confidence = Math.min(confidence, CEILING.genericKeyword);
    if (strength === 'weak') confidence = Math.min(confidence, CEILING.weakKeyword);
    if (isContradicted(scored)) confidence = Math.min(confidence, CEILING.contradicted);
    if (isUnusualShape(candidate)) confidence = Math.min(confidence, CEILING.unusualShape);
  }
  return Math.round(confidence * 100) / 100;
}
