export { emailToExtractInput, type ParsedEmail } from './email-input.js';
export { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction, extractOTP, MIN_CONFIDENCE } from './extract-otp.js';
export { htmlToVisibleText } from './html-to-visible-text.js';
export { EXTRACTION_LIMITS } from './limits.js';
export { type JsonlOptions, processJsonl } from './process-jsonl.js';
export type {
  CodeKind,
  ExtractInput,
  ExtractionCandidate,
  ExtractionExplanation,
  ExtractResult,
  MessageSource,
} from './types.js';
