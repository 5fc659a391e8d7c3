import {
  closeHeldMessage,
  findHeldCandidatePayload,
  findRequestRecord,
  updateRequestRecord,
  withTransaction,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { otpConflict } from '../otp/otp-errors.js';
import { publishOtpEvent } from '../otp/otp-row.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import { queueWebhookEvent } from '../webhooks/queue-webhook-event.js';
import { findOwnerHeldMessage, heldMessageClosed } from './close-held-message.js';
import { expireHeldMessage } from './expire-held-messages.js';
import { publishHeldMessageEvent } from './held-message-events.js';

/**
 * The owner gives a held message to one of its candidate requests: that candidate's
 * ciphertext is stored on the request exactly as a capture source's delivery would be
 * (`otp_received` if approved, kept until approval if pending), and every candidate's
 * ciphertext is deleted in the same transaction. If the request can no longer take a
 * code, nothing changes and the owner may pick another candidate.
 *
 * @example
 * await assignHeldMessage(ctx, { ownerId, id: 'hld_01J…', requestId: 'otp_01J…', actor });
 */
export async function assignHeldMessage(
  ctx: CoreContext,
  options: { ownerId: string; id: string; requestId: string; actor: Actor },
): Promise<{ id: string; requestId: string; status: 'pending_approval' | 'otp_received' }> {
  const { ownerId, id, requestId, actor } = options;
  const held = await findOwnerHeldMessage(ctx.database.db, ownerId, id);
  if (held.status !== 'pending') throw heldMessageClosed(held);
  if (held.expires_at <= nowIso(ctx)) {
    await expireHeldMessage(ctx, id);
    throw new AppError('OTP_EXPIRED', `held message ${id} has expired`);
  }
  const encryptedPayload = await findHeldCandidatePayload(ctx.database.db, id, requestId);
  if (encryptedPayload === undefined)
    throw new AppError('NOT_FOUND', `OTP request ${requestId} is not a candidate of held message ${id}`);
  const scope = { ownerId };
  const request = await readRequest(ctx, OTP_REQUESTS, requestId, scope);
  const now = nowIso(ctx);
  const result = await withTransaction(ctx.database, async (tx) => {
    const closed = await closeHeldMessage(tx, id, {
      status: 'assigned',
      closedAt: now,
      closedBy: actor.label,
      requestId,
    });
    if (!closed) throw heldMessageClosed(await findOwnerHeldMessage(tx, ownerId, id));
    const updated =
      request.status === 'approved'
        ? await updateRequestRecord(tx, {
            table: 'otp_requests',
            id: requestId,
            scope,
            from: ['approved'],
            changes: {
              status: 'otp_received',
              encrypted_payload: encryptedPayload,
              otp_received_at: now,
            },
            now,
          })
        : await updateRequestRecord(tx, {
            table: 'otp_requests',
            id: requestId,
            scope,
            from: ['pending_approval'],
            changes: { encrypted_payload: encryptedPayload, otp_received_at: now },
            where: { encrypted_payload: null },
            now,
          });
    // Throwing rolls the held message back to pending: the owner can still pick another request.
    if (!updated) {
      const fresh = (await findRequestRecord(tx, 'otp_requests', requestId, scope)) ?? request;
      if (fresh.encrypted_payload !== null)
        throw new AppError('CONFLICT', `OTP request ${requestId} already holds a code`);
      throw otpConflict(fresh, 'deliver to');
    }
    await recordAuditEvent(ctx, tx, {
      ownerId,
      actor,
      action: 'otp.code_delivered',
      targetId: requestId,
      details: {
        heldMessageId: id,
        sourceId: closed.source_id,
        sourceKind: closed.source_kind,
        heldForApproval: updated.status === 'pending_approval',
      },
    });
    await recordAuditEvent(ctx, tx, {
      ownerId,
      actor,
      action: 'otp.held_message_assigned',
      targetId: id,
      details: { requestId },
    });
    if (updated.status === 'otp_received') await queueWebhookEvent(tx, 'otp', updated, now);
    return { closed, updated };
  });
  publishOtpEvent(ctx, result.updated);
  publishHeldMessageEvent(ctx, result.closed);
  return { id, requestId, status: result.updated.status as 'pending_approval' | 'otp_received' };
}
