import { badRequest } from './api-error.js';
import type { MessageEntity, MessageEntityType } from './bot-api-types.js';
import type { FormattedText } from './html-entities.js';

// What TDLib's fix_formatted_text does to a message after its entities are known: clean
// control characters, drop whitespace-only entities, trim the text, auto-detect commands,
// mentions, hashtags, URLs and e-mails, and sort entities the way Telegram returns them.

export const MAX_MESSAGE_LENGTH = 4096;

// TDLib's MessageEntity::get_type_priority, used to order entities sharing offset and length.
const PRIORITY: Partial<Record<MessageEntityType, number>> = {
  mention: 50,
  hashtag: 50,
  bot_command: 50,
  url: 50,
  email: 50,
  bold: 90,
  italic: 91,
  code: 20,
  pre: 11,
  text_link: 49,
  text_mention: 49,
  cashtag: 50,
  phone_number: 50,
  underline: 92,
  strikethrough: 93,
  blockquote: 0,
  expandable_blockquote: 0,
  spoiler: 94,
  custom_emoji: 99,
};

const SPLITTABLE = new Set<MessageEntityType>(['bold', 'italic', 'underline', 'strikethrough', 'spoiler']);
const HIDDEN_DATA = new Set<MessageEntityType>(['text_link', 'text_mention', 'custom_emoji', 'pre']);

export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort(
    (a, b) =>
      a.offset - b.offset || b.length - a.length || (PRIORITY[a.type] ?? 50) - (PRIORITY[b.type] ?? 50),
  );
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\n';

/** Removes `\r` and Unicode separators, turns other control characters into spaces. */
function clean({ text, entities }: FormattedText): FormattedText {
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    map[i] = out.length;
    const code = text.charCodeAt(i);
    if (code === 0x0d || (code >= 0x2028 && code <= 0x202e)) continue;
    out += code < 0x20 && code !== 0x0a ? ' ' : text[i];
  }
  map[text.length] = out.length;
  const moved = entities.map((e) => {
    const offset = map[e.offset] ?? out.length;
    return { ...e, offset, length: (map[e.offset + e.length] ?? out.length) - offset };
  });
  return { text: out, entities: moved };
}

/**
 * Applies Telegram's normalisation to parsed text, or throws `message text is empty`.
 * `detect` adds the entities Telegram finds by itself (it does so for bots' messages too).
 */
export function finishFormattedText(input: FormattedText, detect = true): FormattedText {
  const { text, entities } = clean(input);
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    if (entity.length <= 0) continue;
    const slice = text.slice(entity.offset, entity.offset + entity.length);
    if (HIDDEN_DATA.has(entity.type)) {
      kept.push(entity);
      continue;
    }
    const lead = slice.length - slice.replace(/^[ \n]+/, '').length;
    if (lead < slice.length)
      kept.push({ ...entity, offset: entity.offset + lead, length: entity.length - lead });
  }

  let end = text.length;
  while (end > 0 && isBlank(text[end - 1])) end--;
  if (end === 0) throw badRequest('message text is empty');
  const clipped = kept
    .filter((e) => e.offset < end)
    .map((e) => (e.offset + e.length > end ? { ...e, length: end - e.offset } : e));
  sortEntities(clipped);

  let start = 0;
  const firstEntity = clipped[0]?.offset ?? end;
  while (start < firstEntity && isBlank(text[start])) start++;
  const trimmed = text.slice(start, end);
  const shifted = clipped.map((e) => ({ ...e, offset: e.offset - start }));
  const result = detect ? mergeDetected(shifted, detectEntities(trimmed)) : shifted;
  return { text: trimmed, entities: sortEntities(result) };
}

const overlaps = (a: MessageEntity, b: MessageEntity) =>
  a.offset < b.offset + b.length && b.offset < a.offset + a.length;

function mergeDetected(existing: MessageEntity[], detected: MessageEntity[]): MessageEntity[] {
  const continuous = existing.filter((e) => !SPLITTABLE.has(e.type) && !e.type.endsWith('blockquote'));
  const accepted = detected.filter((d) => !continuous.some((c) => overlaps(c, d)));
  return [...existing, ...accepted];
}

const WORD = /[\p{L}\p{N}_]/u;
const isWord = (ch: string | undefined) => ch !== undefined && WORD.test(ch);

const DETECTORS: Array<{
  type: MessageEntityType;
  pattern: RegExp;
  accept: (m: RegExpExecArray, text: string) => boolean;
}> = [
  {
    type: 'url',
    pattern: /https?:\/\/[^\s<>"]+/giu,
    accept: (m, text) => !isWord(text[m.index - 1]),
  },
  {
    type: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gu,
    accept: (m, text) => !isWord(text[m.index - 1]) && !isWord(text[m.index + m[0].length]),
  },
  {
    type: 'bot_command',
    pattern: /\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?/gu,
    accept: (m, text) => {
      const before = text[m.index - 1];
      const after = text[m.index + m[0].length];
      return (
        !isWord(before) && !'/<>'.includes(before ?? ' ') && !isWord(after) && !'/<>@'.includes(after ?? ' ')
      );
    },
  },
  {
    type: 'mention',
    pattern: /@[a-zA-Z0-9_]{2,32}/gu,
    accept: (m, text) => !isWord(text[m.index - 1]) && !isWord(text[m.index + m[0].length]),
  },
  {
    type: 'hashtag',
    pattern: /#[\p{L}\p{Nd}_]{1,256}/gu,
    accept: (m, text) =>
      !isWord(text[m.index - 1]) && /\p{L}/u.test(m[0]) && text[m.index + m[0].length] !== '#',
  },
];

/** Finds the entities Telegram detects in plain text; non-overlapping, first match wins. */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const { type, pattern, accept } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const m = match as RegExpExecArray;
      let value = m[0];
      if (type === 'url') value = value.replace(/[.,;:!?)\]'"]+$/u, '');
      const entity = { type, offset: m.index, length: value.length };
      if (accept(m, text) && !found.some((f) => overlaps(f, entity))) found.push(entity);
    }
  }
  return sortEntities(found);
}
