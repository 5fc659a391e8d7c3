import { codeKind } from './candidate-shape.js';
import type { ContextCategory } from './lexicon/context-phrases.js';
import type { ScoredCandidate } from './score-candidates.js';

const CONTEXT_NAMES: Record<ContextCategory, string> = {
  promo: 'promotion',
  reference: 'reference number',
  money: 'amount, card or account',
  expired: 'expired',
  contact: 'phone contact',
  postal: 'address',
  occasion: 'booking, meeting or gift card',
};

function describeShape(code: string, scored: ScoredCandidate): string {
  const kind = codeKind(code);
  const what =
    kind === 'numeric'
      ? `${code.length} digits`
      : kind === 'alphabetic'
        ? `${code.length} letters`
        : `${code.length} letters and digits`;
  const { candidate } = scored;
  if (candidate.prefix) return `${what} (sender prefix '${candidate.prefix}-' dropped)`;
  if (candidate.knownFormat) return `${what} (a short code ${candidate.knownFormat} is known to send)`;
  return candidate.grouped ? `${what}, printed in groups` : what;
}

/**
 * The reasons behind one candidate's score, in words a person reads in `agent-otp extract
 * --explain`: the shape, the keyword that pulls it, and whatever lowered or ruled it out.
 *
 * @example
 * explainScore(scoreCandidates(analyzeMessage('Your code is 123456'))[0]); // ['6 digits', "after keyword 'code'"]
 */
export function explainScore(scored: ScoredCandidate): string[] {
  const { factors } = scored;
  const reasons = [describeShape(scored.candidate.code, scored)];
  if (factors.shape === 0) {
    reasons.push('not code-shaped (a label word, a placeholder or a unit)');
    return reasons;
  }
  reasons.push(...factors.surroundingsSeen);
  if (factors.surroundings === 0) return reasons;
  if (factors.unlabelledNumber) {
    reasons.push('printed like a number (12 345) without a code keyword right before it');
    return reasons;
  }
  if (factors.unlabelledLong) {
    reasons.push('9 or 10 digits without a code keyword shortly before it in its sentence');
    return reasons;
  }
  const { best, second } = factors;
  if (!best) {
    reasons.push(
      codeKind(scored.candidate.code) === 'alphabetic'
        ? 'letters only, and no code keyword right before it'
        : 'no code keyword near it',
    );
    return reasons;
  }
  for (const pull of second ? [best, second] : [best]) {
    const side = pull.direction === 'before' ? 'after' : 'before';
    const distance = pull.gap === 0 ? 'right ' : '';
    reasons.push(`${distance}${side} ${pull.keyword.meta.strength} keyword '${pull.keyword.text}'`);
  }
  for (const context of factors.context?.contexts ?? [])
    reasons.push(`near '${context.text}' (${CONTEXT_NAMES[context.meta]})`);
  if (factors.context?.promoShaped) reasons.push('shaped like a discount code in a promotion');
  if (factors.occasion)
    reasons.push(
      'the message is about a booking, a meeting, a receipt or a gift card, and the keyword could name their codes',
    );
  if (factors.promotion) reasons.push('a discount in its sentence, and the keyword could name a promo code');
  if (factors.aloneOnLine) reasons.push('alone on its line');
  if (factors.repeated) reasons.push('appears more than once');
  return reasons;
}
