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
 * The key a payload is addressed to (its header's `kid`) when the payload passes every check
 * the relay makes of it for request `id`, with that key taken as the request's; undefined
 * otherwise (garbage, another request's, an unexpected algorithm).
 */
function addressedKey(encryptedPayload: string, id: string): string | undefined {
  try {
    const [protectedHeader = ''] = encryptedPayload.split('.', 1);
    const { kid } = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    if (typeof kid !== 'string') return undefined;
    assertPayloadHeader(encryptedPayload, kid, id);
    return kid;
  } catch {
    return undefined;
  }
}

/** The conditional update that stores a code on an open request that holds none, and its audit record. */
function storeDelivery(
  ctx: CoreContext,
  source: AuthenticatedSource,
  id: string,
  encryptedPayload: string,
  /** What the request must be besides open, in scope and empty: its key, the sources it takes. */
  binding: { keyFingerprint: string; acceptsSource: AuthenticatedSource['kind'] } | undefined,
) {
  const now = nowIso(ctx);
  const actor: Actor = { type: 'source', id: source.sourceId, label: source.name, channel: 'api' };
  return transition(ctx, {
    kind: OTP_REQUESTS,
    id,
    scope: { ownerId: source.ownerId },
    from: OPEN_STATUSES,
    changes: { status: DELIVERED_STATUS, encrypted_payload: encryptedPayload, otp_received_at: now },
    // A second capture source racing the first must not overwrite a held ciphertext.
    where: {
      encrypted_payload: null,
      ...(binding === undefined ? {} : { key_fingerprint: binding.keyFingerprint }),
    },
    ...(binding === undefined ? {} : { acceptsSource: binding.acceptsSource }),
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
}

/**
 * Stores a capture source's ciphertext on an open request of the same owner. On an
 * approved request the code is ready at once (`otp_received`); on a pending one it is held
 * until the owner approves. One conditional update serves both statuses, so a code that
 * arrives while the owner approves is never refused. The relay checks what it can see of
 * the JWE: well formed, addressed to the request's key and naming the request. Posting the
 * same ciphertext again answers the same success.
 *
 * A well-formed payload is stored without reading the request first: the update itself
 * holds the request to the payload's key and to this source's kind (issue 18: one statement
 * fewer per delivery). Anything else, and an update that finds nothing to change, goes the
 * way every delivery went before, reading the request to refuse with the reason, or to
 * answer a repeated delivery.
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
  const keyFingerprint = addressedKey(encryptedPayload, id);
  if (keyFingerprint !== undefined) {
    const delivered = await storeDelivery(ctx, source, id, encryptedPayload, {
      keyFingerprint,
      acceptsSource: source.kind,
    });
    if (delivered) return { id, status: delivered.status as DeliverResult['status'] };
  }
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
  const delivered = await storeDelivery(ctx, source, id, encryptedPayload, undefined);
  if (!delivered) {
    const fresh = await readRequest(ctx, OTP_REQUESTS, id, scope);
    const raced = sameDeliveryAgain(fresh, encryptedPayload);
    if (raced) return raced;
    throw deliveryRefusal(fresh);
  }
  return { id, status: delivered.status as DeliverResult['status'] };
}
