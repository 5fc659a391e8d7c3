import { analyzeMessage } from './analyze-message.js';
import { confidenceCaps } from './calibrate-confidence.js';
import { codeKind } from './candidate-shape.js';
import { explainScore } from './explain-reasons.js';
import { guessLanguage } from './guess-language.js';
import { htmlToVisibleText } from './html-to-visible-text.js';
import { keywordLanguages } from './lexicon/keyword-index.js';
import { EXTRACTION_LIMITS } from './limits.js';
import { normalizeText } from './normalize-text.js';
import { type ScoredCandidate, scoreCandidates } from './score-candidates.js';
import { senderFormat } from './sender-formats.js';
import type { ExtractInput, ExtractionCandidate, ExtractionExplanation, ExtractResult } from './types.js';
import { findOriginBoundCode } from './web-otp.js';

/** Below this confidence `extractOTP` returns `null`: a missed code costs less than a wrong one. */
export const MIN_CONFIDENCE = 0.5;

/**
 * The confidence at which the relay delivers a code without asking: results between
 * {@link MIN_CONFIDENCE} and this are recorded as "a message arrived but held no clear code".
 */
export const DEFAULT_DELIVERY_CONFIDENCE = 0.7;

/** How many candidates an explanation lists at most (best first). */
const EXPLAINED_CANDIDATES = 20;

const SCANNED = EXTRACTION_LIMITS.scannedCharacters;

interface TextOutcome {
  result: ExtractResult | null;
  /** Best first; rejected ones too when explaining. */
  scored: ScoredCandidate[];
  /** The WebOTP code, which outranks every scored candidate. */
  originCode?: string;
}

function extractFromText(raw: string, explaining: boolean, from: string | undefined): TextOutcome {
  // Codes sit near the top of a message; reading further only adds footers and cost. Twice the
  // limit is normalised because normalising drops invisible characters (and may grow others).
  const normalized = normalizeText(raw.slice(0, SCANNED * 2)).slice(0, SCANNED);
  const lower = normalized.toLowerCase();
  const originBound = findOriginBoundCode(normalized);
  const analysis = analyzeMessage(normalized, senderFormat(from, lower));
  if (originBound) {
    const keyword = analysis.keywords[0];
    const result: ExtractResult = {
      code: originBound.code,
      confidence: 0.99,
      kind: codeKind(originBound.code),
      language: guessLanguage(lower, keyword?.meta.languages ?? []),
      origin: originBound.origin,
      reason: 'web-otp',
    };
    return {
      result,
      scored: explaining ? scoreCandidates(analysis, true) : [],
      originCode: originBound.code,
    };
  }
  const scored = scoreCandidates(analysis, explaining);
  const best = scored[0];
  if (!best?.keyword || !best.direction || best.confidence < MIN_CONFIDENCE) return { result: null, scored };
  const { label } = best.keyword.meta;
  const languages = keywordLanguages(best.keyword.text);
  const result: ExtractResult = {
    code: best.candidate.code,
    confidence: best.confidence,
    kind: codeKind(best.candidate.code),
    // An English-only keyword may sit in another language's sentence (see `guessLanguage`).
    language:
      languages.length === 1 && languages[0] !== 'en' ? languages[0] : guessLanguage(lower, languages),
    reason: `keyword-${best.direction}:${label}`,
  };
  return { result, scored };
}

function joinParts(subject: string | undefined, body: string | undefined): string {
  return [subject, body].filter((part) => part !== undefined && part.trim() !== '').join('\n\n');
}

function extractFromInput(input: ExtractInput, explaining: boolean): TextOutcome {
  const preferHtml = input.html !== undefined && (input.source !== 'sms' || input.text === undefined);
  const primary = preferHtml ? htmlToVisibleText(input.html ?? '') : input.text;
  const outcome = extractFromText(joinParts(input.subject, primary), explaining, input.from);
  if (outcome.result || !preferHtml || input.text === undefined) return outcome;
  // The plain-text alternative occasionally carries a code the HTML renders as an image.
  const fallback = extractFromText(joinParts(input.subject, input.text), explaining, input.from);
  return fallback.result || fallback.scored.length > 0 ? fallback : outcome;
}

function describeCandidates(outcome: TextOutcome): ExtractionCandidate[] {
  const candidates: ExtractionCandidate[] = [];
  const { result, originCode } = outcome;
  if (result && originCode !== undefined) {
    candidates.push({
      code: originCode,
      kind: result.kind,
      score: result.confidence,
      reasons: [`WebOTP line for '${result.origin}'`],
      chosen: true,
    });
  }
  for (const scored of outcome.scored) {
    if (candidates.length >= EXPLAINED_CANDIDATES) break;
    const chosen = originCode === undefined && result !== null && candidates.length === 0;
    const reasons = explainScore(scored);
    const score = scored.confidence;
    for (const cap of confidenceCaps(scored))
      if (scored.score > cap.ceiling) reasons.push(`confidence at most ${cap.ceiling}: ${cap.why}`);
    if (!chosen && scored.confidence > 0 && scored.confidence < MIN_CONFIDENCE)
      reasons.push(`below the minimum confidence ${MIN_CONFIDENCE}`);
    candidates.push({
      code: scored.candidate.code,
      kind: codeKind(scored.candidate.code),
      score,
      reasons,
      chosen,
    });
  }
  return candidates;
}

/**
 * Finds the one-time code in a message and tells why: the result `extractOTP` returns, and
 * up to 20 candidates the extractor weighed, best first, each with its score and reasons
 * ("after strong keyword 'código'", "near 'ref no' (reference number)", "8 digits"). Used by
 * `agent-otp extract --explain`.
 *
 * @example
 * explainExtraction({ text: 'OTP 482913 (Ref No. 771203)' }).candidates.map((c) => [c.code, c.chosen]);
 * // [['482913', true], ['771203', false]]
 */
export function explainExtraction(input: ExtractInput): ExtractionExplanation {
  const outcome = extractFromInput(input, true);
  return { result: outcome.result, candidates: describeCandidates(outcome) };
}

/**
 * Finds the one-time code in an SMS or email, or returns `null` when there is none or the
 * extractor is not sure (the same result as `explainExtraction(input).result`, without the
 * explanation's cost). Subject and body are read together (many senders put the code in
 * the subject); HTML is reduced to what a reader would see first. Only the top of a message is
 * read (the first `EXTRACTION_LIMITS.scannedCharacters` of subject and body), and the work is
 * linear in what is read, so a huge or hostile message costs no more than a long ordinary one.
 *
 * @example
 * extractOTP({ source: 'sms', text: 'G-482913 is your Google verification code.' });
 * // { code: '482913', confidence: 0.78, kind: 'numeric', language: 'en', reason: 'keyword-after:verification code' }
 * extractOTP({ source: 'email', subject: 'Your order has shipped', text: 'Order #48291 is on its way.' }); // null
 */
export function extractOTP(input: ExtractInput): ExtractResult | null {
  return extractFromInput(input, false).result;
}
