import { htmlToVisibleText } from '@agent-otp/extract';
import {
  AppError,
  type CaptureMessageResponse,
  type CaptureSourceKind,
  type ErrorCode,
  MAX_HELD_CANDIDATES,
} from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { holdMessage } from '../held/hold-message.js';
import { type IncomingMessage, routeMessage, textOnce } from '../matching/match-message.js';
import { senderIdentity } from '../matching/sender.js';
import { deliverOtpPayload } from '../otp/deliver-otp-payload.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { deliveryThreshold, type ExtractionVerdict, judgeExtraction } from './judge-extraction.js';
import { listOpenRequestsForSource } from './list-open-requests.js';
import { recordUnclearMessage } from './record-unclear-message.js';
import { sealOtpPayload } from './seal-otp-payload.js';

/** What a person would read in a message: used for content patterns. */
export function visibleTextOf(message: Pick<IncomingMessage, 'subject' | 'text' | 'html'>): string {
  const body = message.text ?? (message.html ? htmlToVisibleText(message.html) : '');
  return `${message.subject ?? ''}\n${body}`;
}

/**
 * Errors that mean "this request cannot take the code" (it closed, got a code, or its key
 * does not fit), not "the relay is broken": the message moves on to the next candidate.
 */
const CANNOT_TAKE: ReadonlySet<ErrorCode> = new Set([
  'CONFLICT',
  'INVALID_TRANSITION',
  'NOT_FOUND',
  'OTP_EXPIRED',
  'OTP_CANCELLED',
  'OTP_DENIED',
  'OTP_ALREADY_CONSUMED',
  'VALIDATION_ERROR',
  'INVALID_PUBLIC_KEY',
]);

/** How many candidates one message may skip before the relay stops looking (each costs a database round trip). */
const MAX_SKIPPED_CANDIDATES = 50;

/** Told when a candidate request could not take a message; ids and error codes only, never content. */
export type CaptureSkipListener = (skip: { requestId: string; reason: string }) => void;

/** The reason a candidate was skipped, safe to log: an error code, never a message. */
function skipReason(error: unknown): string | undefined {
  if (error instanceof AppError) return CANNOT_TAKE.has(error.code) ? error.code : undefined;
  return undefined;
}

/**
 * The oldest request of each agent (input is oldest first): within one agent the oldest wins,
 * so the owner chooses among agents, not among one agent's duplicates.
 *
 * @example
 * oldestPerAgent(tied).map((r) => r.agentId); // each agent once
 */
export function oldestPerAgent<R extends { agentId: string }>(requests: readonly R[]): R[] {
  const seen = new Set<string>();
  return requests.filter((request) => !seen.has(request.agentId) && seen.add(request.agentId));
}

/**
 * The server-side capture path for forwarders that post plaintext: route the message to the
 * most specific matching request, extract and encrypt in memory, then deliver exactly like a
 * capture source that encrypts on its own side. When requests of different agents tie, the
 * code is sealed to each and held for the owner. A candidate that cannot take the code (its
 * key cannot encrypt, it closed meanwhile) is skipped for the next. A code is delivered only
 * at or above the extraction threshold (EXTRACT_MIN_CONFIDENCE); below it the matched request
 * stays open and gets an unclear-message note (sender and time, no content). The plaintext
 * message and code exist only in this function's locals.
 *
 * @example
 * await captureMessage(ctx, source, { source: 'email', from, subject, text, receivedAt: new Date() });
 */
export async function captureMessage(
  ctx: CoreContext,
  source: AuthenticatedSource,
  message: IncomingMessage,
  options: { onSkip?: CaptureSkipListener } = {},
): Promise<CaptureMessageResponse> {
  if (message.source !== source.kind)
    throw new AppError('FORBIDDEN', `a ${source.kind} source cannot capture ${message.source} messages`);
  const identity = senderIdentity(message.source, message.from);
  // A sender that does not parse matches no request (routeMessage would say the same).
  if (identity === null)
    return { matched: false, requestId: null, status: null, reason: 'no_matching_request' };
  let remaining = await listOpenRequestsForSource(ctx, source, identity);
  const textOf = textOnce(visibleTextOf);
  let verdict: ExtractionVerdict | undefined;
  let skipped = 0;
  const skip = (requestId: string, reason: string) => {
    skipped++;
    options.onSkip?.({ requestId, reason });
    remaining = remaining.filter((request) => request.id !== requestId);
  };
  // Every pass removes at least one request or returns; the cap bounds the work one message can cause.
  for (;;) {
    const decision = routeMessage(remaining, message, textOf);
    if (decision.kind === 'none' || skipped >= MAX_SKIPPED_CANDIDATES)
      return { matched: false, requestId: null, status: null, reason: 'no_matching_request' };
    const first = decision.kind === 'deliver' ? decision.ranked[0] : decision.requests[0];
    if (!first) return { matched: false, requestId: null, status: null, reason: 'no_matching_request' };
    verdict ??= judgeExtraction(
      {
        source: message.source,
        from: message.from,
        subject: message.subject,
        text: message.text,
        html: message.html,
      },
      deliveryThreshold(ctx.extractMinConfidence),
    );
    if (verdict.kind === 'unclear') {
      // The requests stay open for a clearer message; the owner learns one came (no content
      // kept), on each request it could have served: the winner, or every tied agent's oldest.
      const noted =
        decision.kind === 'ambiguous'
          ? oldestPerAgent(decision.requests).slice(0, MAX_HELD_CANDIDATES)
          : [first];
      for (const request of noted) {
        try {
          await recordUnclearMessage(ctx, source, request.id, {
            from: message.from,
            receivedAt: message.receivedAt,
            outcome: verdict.outcome,
            confidence: verdict.confidence,
          });
        } catch (error) {
          // The request closed meanwhile: nobody is waiting to be told.
          if (!skipReason(error)) throw error;
        }
      }
      return { matched: false, requestId: first.id, status: null, reason: 'no_code_found' };
    }
    const { code } = verdict;

    if (decision.kind === 'ambiguous') {
      const payloads: { requestId: string; encryptedPayload: string; agentId: string }[] = [];
      for (const request of oldestPerAgent(decision.requests).slice(0, MAX_HELD_CANDIDATES)) {
        try {
          payloads.push({
            requestId: request.id,
            agentId: request.agentId,
            encryptedPayload: await sealOtpPayload(request, message, code),
          });
        } catch {
          skip(request.id, 'KEY_UNUSABLE');
        }
      }
      // A tie broken by unusable keys is routed again without them.
      if (new Set(payloads.map((p) => p.agentId)).size < 2) continue;
      try {
        const held = await holdMessage(ctx, source, {
          from: message.from,
          receivedAt: message.receivedAt,
          payloads,
        });
        return {
          matched: true,
          requestId: null,
          status: null,
          reason: 'held_for_owner',
          heldMessageId: held.id,
        };
      } catch (error) {
        const reason = skipReason(error);
        if (!reason) throw error;
        // A candidate closed meanwhile: look again at what is still open.
        const open = new Set((await listOpenRequestsForSource(ctx, source, identity)).map((r) => r.id));
        const gone = payloads.filter((p) => !open.has(p.requestId));
        if (gone.length === 0) throw error;
        for (const p of gone) skip(p.requestId, reason);
        continue;
      }
    }

    let jwe: string;
    try {
      jwe = await sealOtpPayload(first, message, code);
    } catch {
      skip(first.id, 'KEY_UNUSABLE');
      continue;
    }
    try {
      const delivered = await deliverOtpPayload(ctx, source, first.id, jwe);
      return { matched: true, requestId: first.id, status: delivered.status, reason: 'delivered' };
    } catch (error) {
      const reason = skipReason(error);
      if (!reason) throw error;
      skip(first.id, reason);
    }
  }
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
