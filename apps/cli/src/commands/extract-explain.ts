import type { Writable } from 'node:stream';
import type { ExtractionExplanation } from '@agent-otp/extract';

/** An explanation with the relay's decision at a threshold: what `extract --explain --json` prints. */
export interface ExplainedDelivery extends ExtractionExplanation {
  /** The threshold the decision was made at (EXTRACT_MIN_CONFIDENCE or --min-confidence). */
  minConfidence: number;
  /** Whether the relay would deliver the chosen code at that threshold. */
  wouldDeliver: boolean;
}

/**
 * Adds the relay's decision to an explanation: it delivers the chosen code only when the
 * extractor's confidence is at least `minConfidence` (the same rule the capture paths apply).
 *
 * @example
 * decideDelivery(explainExtraction({ text: 'Your code is 482913' }), 0.7).wouldDeliver; // true
 */
export function decideDelivery(explanation: ExtractionExplanation, minConfidence: number): ExplainedDelivery {
  const wouldDeliver = explanation.result !== null && explanation.result.confidence >= minConfidence;
  return { ...explanation, minConfidence, wouldDeliver };
}

const score = (value: number) => value.toFixed(2);

/**
 * Writes an explanation for a person: every candidate with its score and reasons, which one
 * won and why, and whether the relay would deliver it at the threshold.
 *
 * @example
 * writeExplanation(decideDelivery(explainExtraction(input), 0.7), process.stdout);
 */
export function writeExplanation(explained: ExplainedDelivery, out: Writable): void {
  const { result, candidates, minConfidence, wouldDeliver } = explained;
  if (candidates.length === 0) out.write('No candidates: nothing in the message looks like a code.\n');
  else out.write(`Candidates, best first (${candidates.length}):\n`);
  for (const candidate of candidates) {
    const mark = candidate.chosen ? '→' : ' ';
    out.write(
      `${mark} ${candidate.code.padEnd(12)} ${score(candidate.score)}  ${candidate.reasons.join('; ')}\n`,
    );
  }
  out.write('\n');
  if (result) {
    out.write(`Chosen: ${result.code} (confidence ${score(result.confidence)}, ${result.reason}`);
    out.write(result.language ? `, language ${result.language})\n` : ')\n');
  } else {
    out.write('Chosen: none (no candidate is sure enough to be the code)\n');
  }
  out.write(
    wouldDeliver
      ? `The relay would deliver it: ${score(result?.confidence ?? 0)} ≥ EXTRACT_MIN_CONFIDENCE ${score(minConfidence)}.\n`
      : `The relay would not deliver a code (EXTRACT_MIN_CONFIDENCE ${score(minConfidence)}): the request stays open, and its owner sees that a message from this sender held no clear code.\n`,
  );
}
