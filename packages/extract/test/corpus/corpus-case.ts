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
  // Held-out patterns (issue 14): an English keyword beside a "never share"/"validates your card" sentence,
  'share-warning',
  // a code typed letter by letter with spaces between ("K 7 Q 2"),
  'letter-spaced',
  // hyphen groups of unequal length ("48-2193"),
  'uneven-groups',
  // a code glued to the word after it ("482193is"),
  'glued',
  // 9- or 10-digit codes the wording calls a code,
  'long-code',
  // a reference, amount, card ending, sort code, IBAN part or flight number beside the real code,
  'competing-number',
  // "enter the code below" with the code on a later line,
  'code-below',
  // an Android SMS Retriever app-hash line after the code,
  'app-hash',
  // a language written without its accents or in Latin letters.
  'transliterated',
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
  // Held-out patterns (issue 14): booking, reservation and order confirmation codes,
  'booking-code',
  // card-payment receipts with an authorisation code,
  'receipt',
  // gift-card and voucher PINs,
  'gift-card',
  // ticket and support-request numbers,
  'ticket-number',
  // meeting IDs and passcodes of video calls,
  'meeting-id',
  // "code" only inside a longer word (barcode, postcode, Codecademy),
  'code-in-word',
  // bank notices whose only number is a hotline.
  'hotline',
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
