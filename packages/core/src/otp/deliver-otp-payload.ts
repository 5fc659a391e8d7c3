import type { OtpRequestRecord, RequestChanges } from '@agent-otp/db';
import { AppError, assertPayloadHeader, OPEN_STATUSES, PayloadError } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { otpConflict } from './otp-errors.js';

type DeliverResult = { id: string; status: 'pending_approval' | 'otp_received' };

/**
 * The answer to a source re-posting the very ciphertext the request already holds (its
 * first answer was lost on the way back): the same success, not a conflict. Only the maker
 * of an RSA-OAEP JWE can post it byte for byte, since sources never read payloads back.
 */
function sameDeliveryAgain(row: OtpRequestRecord, encryptedPayload: string): DeliverResult | undefined {
  if (row.encrypted_payload !== encryptedPayload) return undefined;
  if (row.status !== 'pending_approval' && row.status !== 'otp_received') return undefined;
  return { id: row.id, status: row.status };
}

/**
 * A delivery's status: approved, the code is ready; pending, it is held until the owner
 * decides. One module constant, so the update is compiled once (its expressions are part of
 * its cached shape).
 */
const DELIVERED_STATUS: RequestChanges<'otp_requests'>['status'] = (eb) =>
  eb
    .case()
    .when('status', '=', 'approved')
    .then('otp_received' as const)
    .else('pending_approval' as const)
    .end();

/** Why a request refused a code: gone (closed, or holding another code) or not this source's. */
function deliveryRefusal(row: OtpRequestRecord): AppError {
  if (row.encrypted_payload !== null || row.status === 'otp_received')
    return new AppError('CONFLICT', `OTP request ${row.id} already holds a code`);
  return otpConflict(row, 'deliver to');
}

/**
 * Stores a capture source's ciphertext on an open request of the same owner. On an
 * approved request the code is ready at once (`otp_received`); on a pending one it is held
 * until the owner approves. One conditional update serves both statuses, so a code that
 * arrives while the owner approves is never refused. The relay checks what it can see of
 * the JWE: well formed, addressed to the request's key and naming the request. Posting the
 * same ciphertext again answers the same success.
 *
 * @example
 * await deliverOtpPayload(ctx, source, id, jwe);
 */
export async function deliverOtpPayload(
  ctx: CoreContext,
  source: AuthenticatedSource,
  id: string,
  encryptedPayload: string,
): Promise<DeliverResult> {
  const scope = { ownerId: source.ownerId };
  const current = await readRequest(ctx, OTP_REQUESTS, id, scope);
  if (!current.sources.includes(source.kind))
    throw new AppError('FORBIDDEN', `OTP request ${id} does not accept codes from ${source.kind} sources`);
  try {
    assertPayloadHeader(encryptedPayload, current.key_fingerprint, current.id);
  } catch (error) {
    if (error instanceof PayloadError) throw new AppError('VALIDATION_ERROR', error.message);
    throw error;
  }
  const repeated = sameDeliveryAgain(current, encryptedPayload);
  if (repeated) return repeated;
  if (current.encrypted_payload !== null) throw deliveryRefusal(current);
  const now = nowIso(ctx);
  const actor: Actor = { type: 'source', id: source.sourceId, label: source.name, channel: 'api' };
  const delivered = await transition(ctx, {
    kind: OTP_REQUESTS,
    id,
    scope,
    from: OPEN_STATUSES,
    changes: {
      status: DELIVERED_STATUS,
      encrypted_payload: encryptedPayload,
      otp_received_at: now,
    },
    // A second capture source racing the first must not overwrite a held ciphertext.
    where: { encrypted_payload: null },
    now,
    audit: (updated) => ({
      actor,
      action: 'code_delivered',
      details: {
        sourceId: source.sourceId,
        sourceKind: source.kind,
        heldForApproval: updated.status === 'pending_approval',
      },
    }),
  });
  if (!delivered) {
    const fresh = await readRequest(ctx, OTP_REQUESTS, id, scope);
    const raced = sameDeliveryAgain(fresh, encryptedPayload);
    if (raced) return raced;
    throw deliveryRefusal(fresh);
  }
  return { id, status: delivered.status as DeliverResult['status'] };
}
