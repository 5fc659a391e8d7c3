import {
  countUnclearMessages,
  insertUnclearMessage,
  lockOtpRequestForUnclearNote,
  withTransaction,
} from '@agent-otp/db';
import {
  AppError,
  MAX_UNCLEAR_MESSAGES_PER_REQUEST,
  OPEN_STATUSES,
  type UnclearOutcome,
} from '@agent-otp/shared';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { senderIdentity, senderMatches } from '../matching/sender.js';
import { otpConflict } from '../otp/otp-errors.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import type { AuthenticatedSource } from '../sources/sources.js';

/** A matched message that held no clear code: who sent it, when, and the extractor's verdict. Never content. */
export interface UnclearMessageNote {
  from: string;
  receivedAt: Date;
  outcome: UnclearOutcome;
  /** The best candidate's confidence (0..1); null with `no_code`. */
  confidence: number | null;
}

/**
 * Records, for an open request, that a message from a sender it matches arrived but held no
 * code clear enough to deliver, so its owner sees it where they see the request; the request
 * stays open for a clearer message. The note and its audit event (`otp.unclear_message`)
 * commit together and hold the parsed sender, times, source kind and verdict only. At most
 * {@link MAX_UNCLEAR_MESSAGES_PER_REQUEST} per request, and a repeat (same sender and time)
 * is not recorded twice, so a chatty sender cannot grow the database or the audit chain.
 *
 * @example
 * await recordUnclearMessage(ctx, source, 'otp_01J…', { from, receivedAt, outcome: 'unclear_code', confidence: 0.42 });
 * // { recorded: true }
 */
export async function recordUnclearMessage(
  ctx: CoreContext,
  source: AuthenticatedSource,
  requestId: string,
  note: UnclearMessageNote,
): Promise<{ recorded: boolean }> {
  const sender = senderIdentity(source.kind, note.from);
  if (sender === null) throw new AppError('VALIDATION_ERROR', 'from is not a parseable sender address');
  if ((note.outcome === 'no_code') !== (note.confidence === null))
    throw new AppError(
      'VALIDATION_ERROR',
      'confidence must be null with no_code and a number with unclear_code',
    );
  const row = await readRequest(ctx, OTP_REQUESTS, requestId, { ownerId: source.ownerId });
  if (!(OPEN_STATUSES as readonly string[]).includes(row.status))
    throw otpConflict(row, 'note a message for');
  if (!row.sources.includes(source.kind))
    throw new AppError('FORBIDDEN', `OTP request ${requestId} does not accept ${source.kind} messages`);
  if (!senderMatches(row.sender_pattern, sender))
    throw new AppError('VALIDATION_ERROR', `OTP request ${requestId} does not match this sender`);

  const receivedAt = note.receivedAt.toISOString();
  const confidenceHundredths = note.confidence === null ? null : Math.round(note.confidence * 100);
  return withTransaction(ctx.database, async (tx) => {
    await lockOtpRequestForUnclearNote(tx, ctx.database.dialect, requestId);
    const { count, repeated } = await countUnclearMessages(tx, { requestId, sender, receivedAt });
    if (repeated || count >= MAX_UNCLEAR_MESSAGES_PER_REQUEST) return { recorded: false };
    await insertUnclearMessage(tx, {
      id: newId('unc'),
      request_id: requestId,
      owner_id: source.ownerId,
      source_kind: source.kind,
      sender,
      received_at: receivedAt,
      outcome: note.outcome,
      confidence_hundredths: confidenceHundredths,
      created_at: nowIso(ctx),
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: source.ownerId,
      actor: { type: 'source', id: source.sourceId, label: source.name, channel: 'api' },
      action: 'otp.unclear_message',
      targetId: requestId,
      details: {
        sourceId: source.sourceId,
        sourceKind: source.kind,
        sender,
        receivedAt,
        outcome: note.outcome,
        confidence: confidenceHundredths === null ? null : confidenceHundredths / 100,
      },
    });
    return { recorded: true };
  });
}
