import { badRequest } from './api-error.js';
import type { LinkPreviewOptions, MessageEntity, MessageEntityType, ParseMode } from './bot-api-types.js';
import type { MessageVersion } from './chat-store.js';
import { finishFormattedText, MAX_MESSAGE_LENGTH, sortEntities } from './formatted-text.js';
import { type FormattedText, parseHtml } from './html-entities.js';
import { type Params, readBoolean, readJson, readString } from './request-params.js';

const USER_ENTITY_TYPES = new Set<MessageEntityType>([
  'mention',
  'hashtag',
  'cashtag',
  'bot_command',
  'url',
  'email',
  'phone_number',
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'blockquote',
  'expandable_blockquote',
  'code',
  'pre',
  'text_link',
  'text_mention',
  'custom_emoji',
]);

const entitiesError = (detail: string) => badRequest(`can't parse entities: ${detail}`);

function readExplicitEntities(raw: unknown): MessageEntity[] {
  if (!Array.isArray(raw)) throw entitiesError('Field "entities" must be of type Array');
  return raw.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) throw entitiesError('MessageEntity must be an Object');
    const e = item as Record<string, unknown>;
    if (typeof e.type !== 'string' || !USER_ENTITY_TYPES.has(e.type as MessageEntityType)) {
      throw entitiesError(`Unsupported entity type "${String(e.type)}"`);
    }
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length)) {
      throw entitiesError('Field "offset" and "length" must be of type Integer');
    }
    const entity: MessageEntity = {
      type: e.type as MessageEntityType,
      offset: e.offset as number,
      length: e.length as number,
    };
    if (entity.type === 'text_link') {
      if (typeof e.url !== 'string') throw entitiesError('Field "url" must be of type String');
      entity.url = e.url;
    }
    if (entity.type === 'pre' && typeof e.language === 'string' && e.language !== '')
      entity.language = e.language;
    if (entity.type === 'custom_emoji' && typeof e.custom_emoji_id === 'string') {
      entity.custom_emoji_id = e.custom_emoji_id;
    }
    return entity;
  });
}

function parseText(source: string, parseMode: string | undefined, params: Params): FormattedText {
  const explicit = readJson(params, 'entities', () => entitiesError("can't parse entities JSON object"));
  // As in the Bot API, explicit entities take precedence over parse_mode.
  if (explicit !== undefined) return { text: source, entities: sortEntities(readExplicitEntities(explicit)) };
  if (parseMode === undefined || parseMode === '') return { text: source, entities: [] };
  if (parseMode === 'HTML') return parseHtml(source);
  if (parseMode === 'MarkdownV2' || parseMode === 'Markdown') {
    throw badRequest(`parse_mode ${parseMode} is not supported by the stand-in; use HTML`);
  }
  throw badRequest('unsupported parse_mode');
}

function readLinkPreview(params: Params): LinkPreviewOptions | undefined {
  const raw = readJson(params, 'link_preview_options', () =>
    badRequest("can't parse link preview options JSON object"),
  );
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null)
      throw badRequest("can't parse link preview options JSON object");
    return raw as LinkPreviewOptions;
  }
  return readBoolean(params, 'disable_web_page_preview') ? { is_disabled: true } : undefined;
}

/** Reads `text`, `parse_mode`, `entities` and link-preview options the way sendMessage does. */
export function readMessageText(params: Params): Omit<MessageVersion, 'at' | 'reply_markup'> {
  const source = readString(params, 'text');
  if (source === undefined || source === '') throw badRequest('message text is empty');
  const parseMode = readString(params, 'parse_mode');
  const { text, entities } = finishFormattedText(parseText(source, parseMode, params));
  if (text.length > MAX_MESSAGE_LENGTH) throw badRequest('message is too long');
  const linkPreview = readLinkPreview(params);
  return {
    text,
    entities,
    source_text: source,
    ...(parseMode ? { parse_mode: parseMode as ParseMode } : {}),
    ...(linkPreview ? { link_preview_options: linkPreview } : {}),
  };
}
