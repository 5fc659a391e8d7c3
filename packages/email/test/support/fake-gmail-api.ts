import type { IncomingMessage, ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import type { FakeGmailMailbox, StoredMessage } from './fake-gmail-mailbox.js';
import type { FakeGoogleTokens } from './fake-google-tokens.js';
import {
  GMAIL_READ_SCOPES,
  sendForbidden,
  sendInvalidArgument,
  sendJson,
  sendNotFound,
  sendUnauthenticated,
} from './google-wire.js';

export interface GmailContext {
  mailbox: FakeGmailMailbox;
  tokens: FakeGoogleTokens;
  emailAddress: string;
  /** Server-side cap on page size, below maxResults, to force pagination in tests. */
  pageSize: number;
}

const ROUTE = /^\/gmail\/v1\/users\/([^/]+)\/(profile|history|messages)(?:\/([^/]+))?$/;

export function isGmailRoute(pathname: string): boolean {
  return ROUTE.test(pathname);
}

/** Serves GET /gmail/v1/users/{userId}/profile|history|messages[/id] after checking the bearer token. */
export async function handleGmail(req: IncomingMessage, res: ServerResponse, url: URL, ctx: GmailContext) {
  const [, userId = '', resource, id] = ROUTE.exec(url.pathname) ?? [];
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return sendUnauthenticated(res, true);
  const access = ctx.tokens.checkAccess(header.slice(7));
  if (!access.ok) return sendUnauthenticated(res, false);
  if (!access.scope.split(' ').some((s) => GMAIL_READ_SCOPES.includes(s))) {
    return sendForbidden(res, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
  }
  const user = decodeURIComponent(userId);
  if (user !== 'me' && user !== ctx.emailAddress) {
    return sendForbidden(res, `Delegation denied for ${ctx.emailAddress}`, 'forbidden');
  }
  if (req.method !== 'GET') return sendInvalidArgument(res, `fake-google: ${req.method} is not implemented`);

  const q = url.searchParams;
  if (resource === 'messages' && id !== undefined) return getMessage(res, decodeURIComponent(id), q, ctx);
  if (id !== undefined) return sendNotFound(res);
  if (resource === 'history') return listHistory(res, q, ctx);
  if (resource === 'messages') return listMessages(res, q, ctx);
  sendJson(res, 200, {
    emailAddress: ctx.emailAddress,
    messagesTotal: ctx.mailbox.messages.length,
    threadsTotal: ctx.mailbox.messages.length,
    historyId: String(ctx.mailbox.historyId),
  });
}

/** users.history.list: records after startHistoryId, oldest first, only messageAdded exists here. */
function listHistory(res: ServerResponse, q: URLSearchParams, ctx: GmailContext) {
  const start = Number(q.get('startHistoryId'));
  if (!q.get('startHistoryId') || !Number.isSafeInteger(start)) {
    return sendInvalidArgument(res, 'Invalid startHistoryId');
  }
  if (ctx.mailbox.isExpired(start)) return sendNotFound(res);
  const types = q.getAll('historyTypes');
  const labelId = q.get('labelId');
  const after = decodePageToken(q.get('pageToken'));
  if (after === null) return sendInvalidArgument(res, 'Invalid pageToken');

  const matching = ctx.mailbox.history.filter(
    (h) =>
      h.id > start &&
      (types.length === 0 || types.includes('messageAdded')) &&
      (labelId === null || h.message.labelIds.includes(labelId)),
  );
  const { page, next } = paginate(matching, (h) => h.id > (after ?? 0), q, ctx.pageSize);
  sendJson(res, 200, {
    ...(page.length > 0 && {
      history: page.map((h) => ({
        id: String(h.id),
        messages: [ref(h.message)],
        messagesAdded: [{ message: { ...ref(h.message), labelIds: h.message.labelIds } }],
      })),
    }),
    ...(next && { nextPageToken: encodePageToken(next.id) }),
    historyId: String(ctx.mailbox.historyId),
  });
}

/** users.messages.list: newest first; `q` is accepted but not interpreted (recorded in requests()). */
function listMessages(res: ServerResponse, q: URLSearchParams, ctx: GmailContext) {
  const labelIds = q.getAll('labelIds');
  const after = decodePageToken(q.get('pageToken'));
  if (after === null) return sendInvalidArgument(res, 'Invalid pageToken');
  const matching = ctx.mailbox.messages
    .filter((m) => labelIds.every((l) => m.labelIds.includes(l)))
    .reverse()
    .map((m) => ({ message: m, position: Number(m.historyId) }));
  const { page, next } = paginate(
    matching,
    (m) => after === undefined || m.position < after,
    q,
    ctx.pageSize,
  );
  sendJson(res, 200, {
    ...(page.length > 0 && { messages: page.map((m) => ref(m.message)) }),
    ...(next && { nextPageToken: encodePageToken(next.position) }),
    resultSizeEstimate: matching.length,
  });
}

/** users.messages.get with format=raw, metadata or minimal. */
async function getMessage(res: ServerResponse, id: string, q: URLSearchParams, ctx: GmailContext) {
  const message = ctx.mailbox.find(id);
  if (!message) return sendNotFound(res);
  const format = q.get('format') ?? 'full';
  const base = {
    ...ref(message),
    labelIds: message.labelIds,
    snippet: await snippet(message.raw),
    sizeEstimate: Buffer.byteLength(message.raw),
    historyId: message.historyId,
    internalDate: message.internalDate,
  };
  if (format === 'minimal') return sendJson(res, 200, base);
  if (format === 'raw')
    return sendJson(res, 200, { ...base, raw: Buffer.from(message.raw).toString('base64url') });
  if (format === 'metadata') {
    const wanted = q.getAll('metadataHeaders').map((h) => h.toLowerCase());
    const headers = parseHeaders(message.raw).filter(
      (h) => wanted.length === 0 || wanted.includes(h.name.toLowerCase()),
    );
    const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? 'text/plain';
    return sendJson(res, 200, { ...base, payload: { mimeType: contentType.split(';')[0]?.trim(), headers } });
  }
  // Not a Google behaviour: the fake says plainly what it does not implement instead of guessing.
  sendInvalidArgument(res, `fake-google: format=${format} is not implemented, use raw, metadata or minimal`);
}

function ref(message: StoredMessage) {
  return { id: message.id, threadId: message.threadId };
}

/** One page of `items` after the cursor, sized by maxResults (default 100, max 500) and the fake's cap. */
function paginate<T>(items: T[], afterCursor: (item: T) => boolean, q: URLSearchParams, cap: number) {
  const requested = Number(q.get('maxResults') ?? 100);
  const size = Math.min(Number.isSafeInteger(requested) && requested > 0 ? requested : 100, 500, cap);
  const rest = items.filter(afterCursor);
  const page = rest.slice(0, size);
  return { page, next: rest.length > size ? page.at(-1) : undefined };
}

/** Opaque to clients, like Google's; undefined = first page, null = garbage. */
function decodePageToken(token: string | null): number | undefined | null {
  if (token === null) return undefined;
  const match = /^p(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

function encodePageToken(cursor: number): string {
  return Buffer.from(`p${cursor}`).toString('base64url');
}

/** Gmail's snippet: the start of the text body, whitespace collapsed, HTML-escaped. */
async function snippet(raw: string): Promise<string> {
  const parsed = await simpleParser(raw);
  const text = (parsed.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

/**
 * Top-level header fields in order (duplicates such as Received kept), unfolded and with
 * RFC 2047 encoded-words decoded, as Gmail returns them in payload.headers.
 */
function parseHeaders(raw: string): Array<{ name: string; value: string }> {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head.split(/\r?\n/).flatMap((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) return [];
    return [{ name: line.slice(0, colon), value: decodeWords(line.slice(colon + 1).trim()) }];
  });
}

function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // whitespace between adjacent encoded-words is not content
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return new TextDecoder(charset).decode(bytes);
    });
}
