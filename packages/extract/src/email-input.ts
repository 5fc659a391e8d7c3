import type { ExtractInput } from './types.js';

/**
 * The parts of a parsed RFC 822 message the extractor reads. mailparser's `ParsedMail` fits
 * this shape, so this package does not depend on mailparser.
 */
export interface ParsedEmail {
  from?: { text?: string; value?: Array<{ address?: string; name?: string }> } | undefined;
  subject?: string | undefined;
  text?: string | undefined;
  /** mailparser sets `false` when the message has no HTML part. */
  html?: string | false | undefined;
}

/**
 * Maps a parsed email to extractor input (source 'email'), preferring the bare sender address.
 *
 * @example
 * emailToExtractInput({ from: { text: 'Acme <no-reply@acme.com>', value: [{ address: 'no-reply@acme.com' }] },
 *   subject: 'Your code', text: '123456', html: false });
 * // { source: 'email', from: 'no-reply@acme.com', subject: 'Your code', text: '123456' }
 */
export function emailToExtractInput(mail: ParsedEmail): ExtractInput {
  const input: ExtractInput = { source: 'email' };
  const from = mail.from?.value?.[0]?.address ?? mail.from?.text;
  if (from) input.from = from;
  if (mail.subject) input.subject = mail.subject;
  if (mail.text) input.text = mail.text;
  if (typeof mail.html === 'string' && mail.html.length > 0) input.html = mail.html;
  return input;
}
