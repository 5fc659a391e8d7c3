import type { MessageSource } from '../../src/index.js';

/** Positive categories describe how the code is presented; negative ones what the message is instead. */
export const POSITIVE_CATEGORIES = [
  'basic',
  'code-after',
  'prefix',
  'separated',
  'alphanumeric',
  'alphabetic',
  'web-otp',
  'digit-script',
  'subject',
  'noisy',
  'html',
] as const;

export const NEGATIVE_CATEGORIES = [
  'marketing',
  'bank-alert',
  'reference-number',
  'magic-link',
  'expired',
  'notice',
  'template',
  'phone-date-price',
  'hidden-html',
] as const;

export type CorpusCategory = (typeof POSITIVE_CATEGORIES)[number] | (typeof NEGATIVE_CATEGORIES)[number];

/** One hand-written message of the extractor's corpus. */
export interface CorpusCase {
  id: string;
  /** BCP-47 tag of the message's language. */
  language: string;
  category: CorpusCategory;
  source: MessageSource;
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  /** The code a person would type, or null when the message holds none. */
  expected: string | null;
  /** What makes this case tricky. */
  why: string;
}
