import { withTransaction } from '@agent-otp/db';
import { AppError, assertPayloadHeader, PayloadError } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { publishRequestEvent, rowSources } from './otp-row.js';
import { readOtpRequest } from './read-otp-request.js';
import { statusConflict, transitionRequest } from './transition.js';

/**
 * Stores a capture source's ciphertext on an open request of the same owner. On an
 * approved request the code is ready at once (`otp_received`); on a pending one it is held
 * until the owner approves. The relay checks the JWE is addressed to the request's key.
 *
 * @example
 * await deliverOtpPayload(ctx, source, id, jwe);
 */
export async function deliverOtpPayload(
  ctx: CoreContext,
  source: AuthenticatedSource,
  id: string,
  encryptedPayload: string,
): Promise<{ id: string; status: 'pending_approval' | 'otp_received' }> {
  const scope = { ownerId: source.ownerId };
  const current = await readOtpRequest(ctx, id, scope);
  if (!rowSources(current).includes(source.kind))
    throw new AppError('FORBIDDEN', `OTP request ${id} does not accept codes from ${source.kind} sources`);
  try {
    assertPayloadHeader(encryptedPayload, current.key_fingerprint);
  } catch (error) {
    if (error instanceof PayloadError) throw new AppError('VALIDATION_ERROR', error.message);
    throw error;
  }
  if (current.encrypted_payload !== null)
    throw new AppError('CONFLICT', `OTP request ${id} already holds a code`);
  const now = nowIso(ctx);
  const actor: Actor = { type: 'source', id: source.sourceId, label: source.name, channel: 'api' };
  const delivered = await withTransaction(ctx.database, async (tx) => {
    const updated =
      current.status === 'approved'
        ? await transitionRequest(tx, id, scope, ['approved'], {
            status: 'otp_received',
            encrypted_payload: encryptedPayload,
            otp_received_at: now,
          })
        : await transitionRequest(
            tx,
            id,
            scope,
            ['pending_approval'],
            { encrypted_payload: encryptedPayload, otp_received_at: now },
            { requirePayloadAbsent: true },
          );
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor,
      action: 'otp.code_delivered',
      targetId: id,
      details: {
        sourceId: source.sourceId,
        sourceKind: source.kind,
        heldForApproval: updated.status === 'pending_approval',
      },
    });
    return updated;
  });
  if (!delivered) {
    const fresh = await readOtpRequest(ctx, id, scope);
    if (fresh.encrypted_payload !== null || fresh.status === 'otp_received')
      throw new AppError('CONFLICT', `OTP request ${id} already holds a code`);
    throw statusConflict(fresh, 'deliver to');
  }
  publishRequestEvent(ctx, delivered);
  return { id, status: delivered.status as 'pending_approval' | 'otp_received' };
}
