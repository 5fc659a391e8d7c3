import { extractOTP, htmlToVisibleText } from '@agent-otp/extract';
import { AppError, type CaptureMessageResponse, type CaptureSourceKind } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { type IncomingMessage, pickRequestForMessage } from '../matching/match-message.js';
import { deliverOtpPayload } from '../otp/deliver-otp-payload.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { listOpenRequestsForSource } from './list-open-requests.js';
import { sealOtpPayload } from './seal-otp-payload.js';

/** What a person would read in a message: used for content patterns. */
export function visibleTextOf(message: Pick<IncomingMessage, 'subject' | 'text' | 'html'>): string {
  const body = message.text ?? (message.html ? htmlToVisibleText(message.html) : '');
  return `${message.subject ?? ''}\n${body}`;
}

/**
 * The server-side capture path for forwarders that post plaintext: match, extract and
 * encrypt in memory, then deliver exactly like a capture source that encrypts on its own
 * side. The plaintext message and code exist only in this function's locals.
 *
 * @example
 * await captureMessage(ctx, source, { source: 'email', from, subject, text, receivedAt: new Date() });
 */
export async function captureMessage(
  ctx: CoreContext,
  source: AuthenticatedSource,
  message: IncomingMessage,
): Promise<CaptureMessageResponse> {
  if (message.source !== source.kind)
    throw new AppError('FORBIDDEN', `a ${source.kind} source cannot capture ${message.source} messages`);
  const open = await listOpenRequestsForSource(ctx, source);
  const request = pickRequestForMessage(open, message, visibleTextOf);
  if (!request) return { matched: false, requestId: null, status: null, reason: 'no_matching_request' };
  const extracted = extractOTP({
    source: message.source,
    from: message.from,
    subject: message.subject,
    text: message.text,
    html: message.html,
  });
  if (!extracted) return { matched: false, requestId: request.id, status: null, reason: 'no_code_found' };
  const jwe = await sealOtpPayload(request, message, extracted.code);
  const delivered = await deliverOtpPayload(ctx, source, request.id, jwe);
  return { matched: true, requestId: request.id, status: delivered.status, reason: 'delivered' };
}

/** Builds an {@link IncomingMessage} from plain fields (HTTP body, CLI flags). */
export function incomingMessage(
  kind: CaptureSourceKind,
  fields: {
    from: string;
    subject?: string | undefined;
    text?: string | undefined;
    html?: string | undefined;
  },
  receivedAt: Date,
): IncomingMessage {
  return {
    source: kind,
    from: fields.from,
    subject: fields.subject,
    text: fields.text,
    html: fields.html,
    receivedAt,
  };
}
