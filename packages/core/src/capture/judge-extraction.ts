import {
  DEFAULT_DELIVERY_CONFIDENCE,
  type ExtractInput,
  explainExtraction,
  extractOTP,
} from '@agent-otp/extract';
import type { UnclearOutcome } from '@agent-otp/shared';

/** What the relay makes of one message: a code clear enough to deliver, or why there is none. */
export type ExtractionVerdict =
  | { kind: 'clear'; code: string; confidence: number }
  | { kind: 'unclear'; outcome: UnclearOutcome; confidence: number | null };

/** The threshold a context names, or the extractor's own default. */
export function deliveryThreshold(minConfidence: number | undefined): number {
  return minConfidence ?? DEFAULT_DELIVERY_CONFIDENCE;
}

/**
 * Extracts a message's code and decides whether the relay may deliver it: only when its
 * confidence is at least `minConfidence` (a wrong code spends the request; a missed one
 * leaves it open for a clearer message). Below that, says whether anything looked like a
 * code at all and how sure the extractor was of the best candidate (hundredths), so the
 * owner can be told without the code itself leaving this function.
 *
 * @example
 * judgeExtraction({ source: 'sms', text: 'Your code is 482913' }, 0.5); // { kind: 'clear', code: '482913', … }
 * judgeExtraction({ source: 'sms', text: 'Order 48291 shipped' }, 0.5); // { kind: 'unclear', outcome: 'no_code', confidence: null }
 */
export function judgeExtraction(input: ExtractInput, minConfidence: number): ExtractionVerdict {
  const found = extractOTP(input);
  if (found && found.confidence >= minConfidence)
    return { kind: 'clear', code: found.code, confidence: found.confidence };
  // Only a message that is not delivered pays for the explanation (the rejected candidates' scores).
  const { result, candidates } = explainExtraction(input);
  const best = Math.max(result?.confidence ?? 0, ...candidates.map((candidate) => candidate.score));
  // A candidate that scored nothing (a number with no keyword near it) is not a code: no_code.
  if (!(best > 0)) return { kind: 'unclear', outcome: 'no_code', confidence: null };
  return { kind: 'unclear', outcome: 'unclear_code', confidence: Math.round(Math.min(best, 1) * 100) / 100 };
}
