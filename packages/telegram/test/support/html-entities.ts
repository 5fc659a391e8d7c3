import { badRequest } from './api-error.js';
import type { MessageEntity } from './bot-api-types.js';
import { checkedLink } from './links.js';

// A port of TDLib's `parse_html` (td/telegram/MessageEntity.cpp), which is what the Bot API
// runs for `parse_mode: 'HTML'`. It walks UTF-8 bytes so that error messages name the same
// byte offsets Telegram does, and counts UTF-16 code units for entity offsets.

const ALLOWED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const SIMPLE_TAG_TYPES: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  u: 'underline',
  ins: 'underline',
  'tg-spoiler': 'spoiler',
};

interface OpenTag {
  name: string;
  argument: string;
  /** UTF-16 offset in the output where the tag's content starts. */
  offset: number;
  /** Byte offset in the output where the tag's content starts (for `<a>` without href). */
  outputByte: number;
  expandable: boolean;
}

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const AMP = 0x26;
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isAlpha = (c: number | undefined) =>
  c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined) =>
  isDigit(c) || (c !== undefined && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)));
const isFirstUtf8Unit = (c: number) => (c & 0xc0) !== 0x80;

const entityError = (detail: string) => badRequest(`can't parse entities: ${detail}`);

/** Decodes `&…;` at `pos`; returns the code point and the position after it, or undefined. */
function decodeEntity(bytes: Uint8Array, pos: number): { code: number; next: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (bytes[end] === 0x23 /* # */) {
    end++;
    if (bytes[end] === 0x78 /* x */) {
      end++;
      while (isHex(bytes[end])) code = code * 16 + Number.parseInt(String.fromCharCode(bytes[end++]!), 16);
    } else {
      while (isDigit(bytes[end])) code = code * 10 + (bytes[end++]! - 0x30);
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (isAlpha(bytes[end])) end++;
    const name = Buffer.from(bytes.subarray(pos + 1, end)).toString('latin1');
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return undefined;
    code = value;
  }
  return { code, next: bytes[end] === 0x3b /* ; */ ? end + 1 : end };
}

/**
 * Parses Telegram-flavoured HTML into plain text and entities, or throws the same
 * `400 Bad Request: can't parse entities: …` Telegram returns.
 */
export function parseHtml(html: string): FormattedText {
  const bytes = Buffer.from(html, 'utf8');
  const out: number[] = [];
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let utf16 = 0;
  let decodedSurrogate = false;
  const at = (i: number) => bytes[i];

  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === AMP) {
      const decoded = decodeEntity(bytes, i);
      if (decoded) {
        utf16 += decoded.code > 0xffff ? 2 : 1;
        if (decoded.code >= 0xd800 && decoded.code <= 0xdfff) decodedSurrogate = true;
        out.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
        i = decoded.next - 1;
        continue;
      }
    }
    if (c !== LT) {
      if (isFirstUtf8Unit(c)) utf16 += c >= 0xf0 ? 2 : 1;
      out.push(c);
      continue;
    }

    const begin = i++;
    if (at(i) !== SLASH) {
      while (at(i) !== undefined && !isSpace(at(i)) && at(i) !== GT) i++;
      if (at(i) === undefined) throw entityError(`Unclosed start tag at byte offset ${begin}`);
      const name = bytes.toString('utf8', begin + 1, i).toLowerCase();
      if (!ALLOWED_TAGS.has(name)) {
        throw entityError(`Unsupported start tag "${name}" at byte offset ${begin}`);
      }
      const tag: OpenTag = { name, argument: '', offset: utf16, outputByte: out.length, expandable: false };
      i = readAttributes(bytes, i, tag, begin);
      if (name === 'span' && tag.argument !== 'spoiler') {
        throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
      }
      open.push(tag);
      continue;
    }

    if (open.length === 0) throw entityError(`Unexpected end tag at byte offset ${begin}`);
    while (at(i) !== undefined && !isSpace(at(i)) && at(i) !== GT) i++;
    const endName = bytes.toString('utf8', begin + 2, i).toLowerCase();
    while (isSpace(at(i))) i++;
    if (at(i) !== GT) throw entityError(`Unclosed end tag at byte offset ${begin}`);
    const tag = open.pop()!;
    if (endName !== '' && endName !== tag.name) {
      throw entityError(
        `Unmatched end tag at byte offset ${begin}, expected "</${tag.name}>", found "</${endName}>"`,
      );
    }
    if (utf16 > tag.offset) closeEntity(tag, utf16 - tag.offset, entities, out);
  }
  const unclosed = open.at(-1);
  if (unclosed) throw entityError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);

  if (decodedSurrogate) {
    throw badRequest(
      "can't parse entities: Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
    );
  }
  for (const entity of entities) if (entity.type === 'code') delete entity.language;
  return { text: Buffer.from(out).toString('utf8'), entities };
}

/** Reads attributes up to the closing `>`; returns the index of that `>`. */
function readAttributes(bytes: Uint8Array, start: number, tag: OpenTag, begin: number): number {
  let i = start;
  const at = (k: number) => bytes[k];
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('utf8');
  while (at(i) !== GT) {
    while (isSpace(at(i))) i++;
    if (at(i) === GT) break;
    const nameStart = i;
    while (at(i) !== undefined && !isSpace(at(i)) && at(i) !== EQUALS && at(i) !== GT) i++;
    const attribute = text(nameStart, i);
    if (attribute === '') {
      throw entityError(`Empty attribute name in the tag "${tag.name}" at byte offset ${begin}`);
    }
    while (isSpace(at(i))) i++;
    if (at(i) !== EQUALS) {
      // TDLib accepts a bare `expandable` only on blockquote (Bot API 7.4).
      if (tag.name === 'blockquote' && attribute.toLowerCase() === 'expandable') {
        tag.expandable = true;
        continue;
      }
      throw entityError(
        `Expected equal sign in declaration of an attribute of the tag "${tag.name}" at byte offset ${begin}`,
      );
    }
    i++;
    while (isSpace(at(i))) i++;
    if (at(i) === undefined) throw entityError(`Unclosed start tag "${tag.name}" at byte offset ${begin}`);

    let value: string;
    const quote = at(i);
    if (quote !== 0x27 && quote !== 0x22) {
      const tokenStart = i;
      while (isAlpha(at(i)) || isDigit(at(i)) || at(i) === 0x2e || at(i) === 0x2d) i++;
      value = text(tokenStart, i).toLowerCase();
      if (!isSpace(at(i)) && at(i) !== GT) {
        throw entityError(`Unexpected end of name token at byte offset ${tokenStart}`);
      }
    } else {
      i++;
      const valueBytes: number[] = [];
      while (at(i) !== undefined && at(i) !== quote) {
        const decoded = at(i) === AMP ? decodeEntity(bytes, i) : undefined;
        if (decoded) {
          valueBytes.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
          i = decoded.next;
        } else {
          valueBytes.push(at(i++)!);
        }
      }
      if (at(i) === quote) i++;
      value = Buffer.from(valueBytes).toString('utf8');
    }
    if (at(i) === undefined) throw entityError(`Unclosed start tag at byte offset ${begin}`);

    if (tag.name === 'a' && attribute === 'href') tag.argument = value;
    else if (tag.name === 'code' && attribute === 'class' && value.startsWith('language-')) {
      tag.argument = value.slice('language-'.length);
    } else if (tag.name === 'span' && attribute === 'class' && value.startsWith('tg-')) {
      tag.argument = value.slice('tg-'.length);
    } else if (tag.name === 'tg-emoji' && attribute === 'emoji-id') tag.argument = value;
  }
  return i;
}

function closeEntity(tag: OpenTag, length: number, entities: MessageEntity[], out: number[]): void {
  const offset = tag.offset;
  const simple = SIMPLE_TAG_TYPES[tag.name];
  if (simple || (tag.name === 'span' && tag.argument === 'spoiler')) {
    entities.push({ type: simple ?? 'spoiler', offset, length });
    return;
  }
  const last = entities.at(-1);
  const sameSpan = last !== undefined && last.offset === offset && last.length === length;
  switch (tag.name) {
    case 'tg-emoji': {
      if (!/^[0-9]+$/.test(tag.argument) || /^0+$/.test(tag.argument)) {
        throw badRequest(`can't parse entities: Invalid custom emoji identifier specified`);
      }
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: tag.argument });
      return;
    }
    case 'a': {
      const href = tag.argument || Buffer.from(out.slice(tag.outputByte)).toString('utf8');
      const url = checkedLink(href);
      // Telegram silently drops a link whose URL it cannot accept, keeping the text.
      if (url !== undefined) entities.push({ type: 'text_link', offset, length, url });
      return;
    }
    case 'pre': {
      if (sameSpan && last.type === 'code' && last.language) last.type = 'pre';
      else entities.push({ type: 'pre', offset, length });
      return;
    }
    case 'code': {
      if (sameSpan && last.type === 'pre' && tag.argument !== '') last.language = tag.argument;
      else
        entities.push({ type: 'code', offset, length, ...(tag.argument ? { language: tag.argument } : {}) });
      return;
    }
    case 'blockquote':
      entities.push({ type: tag.expandable ? 'expandable_blockquote' : 'blockquote', offset, length });
      return;
  }
}
