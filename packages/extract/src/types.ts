/** Where a message came from; SMS and email differ mostly in how much noise surrounds the code. */
export type MessageSource = 'sms' | 'email';

/** One message as a capture source sees it. Every field is optional; give what you have. */
export interface ExtractInput {
  source?: MessageSource;
  /**
   * Sender address or SMS sender id; never required. It recognises senders with a known code
   * format (`sender-formats.ts`: the three-digit Cl@ve PIN), as does the sender's name in the text.
   */
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
}

export type CodeKind = 'numeric' | 'alphanumeric' | 'alphabetic';

/** The one code a person would type, and why the extractor believes it. */
export interface ExtractResult {
  /** Exactly as the user would type it: separators removed, ASCII digits, leading zeros kept, case as sent. */
  code: string;
  /** 0..1; results below {@link MIN_CONFIDENCE} are never returned. */
  confidence: number;
  kind: CodeKind;
  /** Best-guess BCP-47 tag of the keyword that matched, e.g. 'en', 'zh', 'ar'. */
  language?: string;
  /** WebOTP origin (`@example.com #123456` gives 'example.com') when present. */
  origin?: string;
  /** Short machine-ish explanation, e.g. 'keyword-before:verification code'. */
  reason: string;
}

/** One candidate the extractor weighed, for `explainExtraction`. */
export interface ExtractionCandidate {
  /** As the user would type it. */
  code: string;
  kind: CodeKind;
  /** Its confidence, 0..1 (0: ruled out), computed like the result's `confidence`. */
  score: number;
  /** Human-readable, e.g. "after keyword 'código'", "near 'ref no' (reference number)", "8 digits". */
  reasons: string[];
  chosen: boolean;
}

/** The result and every candidate behind it, best first. */
export interface ExtractionExplanation {
  result: ExtractResult | null;
  candidates: ExtractionCandidate[];
}
