import type { CaptureSourceKind } from '@agent-otp/shared';
import { contentMatches, senderIdentity, senderMatches } from './sender.js';

/** One incoming message, as a capture path sees it before extraction. */
export interface IncomingMessage {
  source: CaptureSourceKind;
  from: string;
  subject?: string | undefined;
  text?: string | undefined;
  html?: string | undefined;
  receivedAt: Date;
}

/** The parts of an open request that matching needs (as capture sources receive them). */
export interface MatchableRequest {
  id: string;
  sources: readonly CaptureSourceKind[];
  senderPattern: string | null;
  contentPattern: string | null;
  createdAt: string;
  /** Messages received before this instant cannot serve the request (creation − look-back). */
  notBefore: string;
  expiresAt: string;
}

/** The visible text of a message for content patterns (subject, text, or HTML stripped). */
export type TextOf = (message: IncomingMessage) => string;

/**
 * The request this message serves: the oldest open request whose source list, sender
 * pattern, content pattern and time window all match. One message serves at most one
 * request. Shared by every capture path (server-side, email connector, phone app).
 *
 * @example
 * const request = pickRequestForMessage(openRequests, message, (m) => `${m.subject} ${m.text}`);
 */
export function pickRequestForMessage<R extends MatchableRequest>(
  requests: readonly R[],
  message: IncomingMessage,
  textOf: TextOf,
): R | undefined {
  const identity = senderIdentity(message.source, message.from);
  if (identity === null) return undefined;
  const receivedAt = message.receivedAt.toISOString();
  let content: string | undefined;
  const candidates = [...requests].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  for (const request of candidates) {
    if (!request.sources.includes(message.source)) continue;
    if (receivedAt < request.notBefore || receivedAt > request.expiresAt) continue;
    if (!senderMatches(request.senderPattern, identity)) continue;
    if (request.contentPattern) {
      content ??= textOf(message);
      if (!contentMatches(request.contentPattern, content)) continue;
    }
    return request;
  }
  return undefined;
}
