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
  return {
    subject: parsed.subject || undefined,
    text: parsed.text || undefined,
    html: typeof parsed.html === 'string' && parsed.html.length > 0 ? parsed.html : undefined,
  };
}
