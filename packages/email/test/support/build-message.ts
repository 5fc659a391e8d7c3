import { randomUUID } from 'node:crypto';

export interface MessageSpec {
  from: string;
  to?: string;
  subject: string;
  text?: string;
  html?: string;
  date?: Date;
  messageId?: string;
}

/**
 * Builds an RFC 5322 message with CRLF line endings, as a mail server would store it:
 * text only, html only, or both as multipart/alternative.
 *
 * @example
 * const raw = buildMessage({ from: 'no-reply@bank.example', subject: 'Your code', text: 'Code: 123456' });
 */
export function buildMessage(spec: MessageSpec): string {
  if (spec.text === undefined && spec.html === undefined) {
    throw new Error('buildMessage needs text, html or both');
  }
  const headers = [
    `From: ${encodeAddress(spec.from)}`,
    `To: ${encodeAddress(spec.to ?? 'owner@agent-otp.test')}`,
    `Subject: ${encodeHeader(spec.subject)}`,
    `Date: ${(spec.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${spec.messageId ?? `<${randomUUID()}@agent-otp.test>`}`,
    'MIME-Version: 1.0',
  ];
  const parts = [
    spec.text === undefined ? undefined : part('text/plain', spec.text),
    spec.html === undefined ? undefined : part('text/html', spec.html),
  ].filter((p): p is string[] => p !== undefined);

  const [only] = parts;
  if (parts.length === 1 && only) return [...headers, ...only].join('\r\n');

  const boundary = `=_agent-otp-${randomUUID()}`;
  const body = parts.flatMap((p) => [`--${boundary}`, ...p]);
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    ...body,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Header lines plus body of one leaf part; base64 only when 7bit would be invalid. */
function part(mimeType: string, content: string): string[] {
  const sevenBit = isAscii(content) && content.split(/\r?\n/).every((line) => line.length <= 998);
  if (sevenBit) {
    return [
      `Content-Type: ${mimeType}; charset=utf-8`,
      'Content-Transfer-Encoding: 7bit',
      '',
      crlf(content),
      '',
    ];
  }
  const encoded =
    Buffer.from(content, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? [];
  return [
    `Content-Type: ${mimeType}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    ...encoded,
    '',
  ];
}

/** Encodes only the display name of `Name <addr>`: an encoded address would not parse. */
function encodeAddress(value: string): string {
  const match = /^(.*?)\s*(<[^>]+>)$/.exec(value);
  const [, name, address] = match ?? [];
  return name && address ? `${encodeHeader(name)} ${address}` : value;
}

/** RFC 2047 encoded-word, so non-ASCII senders and subjects survive every server. */
function encodeHeader(value: string): string {
  return isAscii(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e\r\n\t]*$/.test(value);
}

function crlf(value: string): string {
  return value.replace(/\r?\n/g, '\r\n');
}
