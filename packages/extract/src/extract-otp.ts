import { analyzeMessage } from './analyze-message.js';
import { codeKind } from './candidate-shape.js';
import { guessLanguage } from './guess-language.js';
import { htmlToVisibleText } from './html-to-visible-text.js';
import { keywordLanguages } from './lexicon/keyword-index.js';
import { EXTRACTION_LIMITS } from './limits.js';
import { normalizeText } from './normalize-text.js';
import { scoreCandidates } from './score-candidates.js';
import type { ExtractInput, ExtractResult } from './types.js';
import { findOriginBoundCode } from './web-otp.js';

/** Below this confidence `extractOTP` returns `null`: a missed code costs less than a wrong one. */
export const MIN_CONFIDENCE = 0.5;

const SCANNED = EXTRACTION_LIMITS.scannedCharacters;

function extractFromText(raw: string): ExtractResult | null {
  // Codes sit near the top of a message; reading further only adds footers and cost. Twice the
  // limit is normalised because normalising drops invisible characters (and may grow others).
  const normalized = normalizeText(raw.slice(0, SCANNED * 2)).slice(0, SCANNED);
  const lower = normalized.toLowerCase();
  const originBound = findOriginBoundCode(normalized);
  const analysis = analyzeMessage(normalized);
  if (originBound) {
    const keyword = analysis.keywords[0];
    return {
      code: originBound.code,
      confidence: 0.99,
      kind: codeKind(originBound.code),
      language: guessLanguage(lower, keyword?.meta.languages ?? []),
      origin: originBound.origin,
      reason: 'web-otp',
    };
  }
  const best = scoreCandidates(analysis)[0];
  if (!best || best.score < MIN_CONFIDENCE) return null;
  const { label } = best.keyword.meta;
  const languages = keywordLanguages(best.keyword.text);
  return {
    code: best.candidate.code,
    confidence: Math.round(best.score * 100) / 100,
    kind: codeKind(best.candidate.code),
    language: languages.length === 1 ? languages[0] : guessLanguage(lower, languages),
    reason: `keyword-${best.direction}:${label}`,
  };
}

function joinParts(subject: string | undefined, body: string | undefined): string {
  return [subject, body].filter((part) => part !== undefined && part.trim() !== '').join('\n\n');
}

/**
 * Finds the one-time code in an SMS or email, or returns `null` when there is none or the
 * extractor is not sure. Subject and body are read together (many senders put the code in
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
  const preferHtml = input.html !== undefined && (input.source !== 'sms' || input.text === undefined);
  const primary = preferHtml ? htmlToVisibleText(input.html ?? '') : input.text;
  const result = extractFromText(joinParts(input.subject, primary));
  if (result || !preferHtml || input.text === undefined) return result;
  // The plain-text alternative occasionally carries a code the HTML renders as an image.
  return extractFromText(joinParts(input.subject, input.text));
}
