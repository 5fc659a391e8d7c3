import { toStorableText } from '@agent-otp/shared';
import { simpleParser } from 'mailparser';

/** The readable parts of one message, as the extractor and content patterns need them. */
export interface ParsedMail {
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

/**
 * Parses a full RFC 822 message with mailparser. Attachments are skipped (a code is never in
 * one, and they are the bulk of a big message).
 *
 * @example
 * const { subject, text, html } = await parseMail(rawBuffer);
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  // A NUL (=00 in quoted-printable, an encoded word) is never part of a code; clean it here so
  // nothing downstream has to think about text the database could not store.
  const clean = (text: string | false | undefined) => (text ? toStorableText(text) : undefined);
  return { subject: clean(parsed.subject), text: clean(parsed.text), html: clean(parsed.html) };
}
