import type { RequestRecords } from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { OTP_REQUESTS } from './otp-requests.js';
import { PERMISSION_REQUESTS } from './permission-requests.js';
import { readRequest } from './read-request.js';
import { transition } from './transition.js';

/**
 * The owner cancels one of their OTP requests that is still open (pending, approved, or
 * holding a code): the same transition as an agent's cancel, so the ciphertext is erased in
 * the update that closes it, audited `otp.cancelled` with the owner as actor, and the
 * agent's webhook hears `otp.cancelled`. Another owner's request is NOT_FOUND.
 *
 * @example
 * const row = await cancelOwnerOtpRequest(ctx, { ownerId, id: 'otp_01J…', actor });
 */
export async function cancelOwnerOtpRequest(
  ctx: CoreContext,
  options: { ownerId: string; id: string; actor: Actor },
): Promise<RequestRecords['otp_requests']> {
  const scope = { ownerId: options.ownerId };
  const before = await readRequest(ctx, OTP_REQUESTS, options.id, scope);
  const now = nowIso(ctx);
  const cancelled = await transition(ctx, {
    kind: OTP_REQUESTS,
    id: options.id,
    scope,
    from: OTP_REQUESTS.open,
    changes: { ...OTP_REQUESTS.closeChanges, status: 'cancelled', closed_at: now },
    now,
    audit: () => ({
      actor: options.actor,
      action: 'cancelled',
      details: { previousStatus: before.status, codeErased: before.encrypted_payload !== null },
    }),
  });
  if (!cancelled)
    throw OTP_REQUESTS.conflict(await readRequest(ctx, OTP_REQUESTS, options.id, scope), 'cancel');
  return cancelled;
}

/**
 * The owner revokes an approved permission: the request is closed as `cancelled` with no
 * uses left, in one conditional update, so a use racing it either lands before (and is
 * counted) or fails with TOKEN_REVOKED, never both. Audited `permission.revoked` with the
 * uses it had left; the agent's webhook hears `permission.cancelled` (the status it sees).
 * Only an approved request has a token to revoke: a pending one is denied instead, and one
 * that already ended is the kind's conflict error.
 *
 * @example
 * const row = await revokeOwnerPermission(ctx, { ownerId, id: 'prm_01J…', actor });
 */
export async function revokeOwnerPermission(
  ctx: CoreContext,
  options: { ownerId: string; id: string; actor: Actor },
): Promise<RequestRecords['permission_requests']> {
  const scope = { ownerId: options.ownerId };
  const before = await readRequest(ctx, PERMISSION_REQUESTS, options.id, scope);
  const now = nowIso(ctx);
  const revoked = await transition(ctx, {
    kind: PERMISSION_REQUESTS,
    id: options.id,
    scope,
    from: ['approved'],
    changes: {
      ...PERMISSION_REQUESTS.closeChanges,
      status: 'cancelled',
      uses_remaining: 0,
      closed_at: now,
    },
    now,
    // Uses left as last read: a use racing the revocation may have spent one more.
    audit: (updated) => ({
      actor: options.actor,
      action: 'revoked',
      details: { usesLeft: before.uses_remaining, tokenIssued: updated.token_hash !== null },
    }),
  });
  if (!revoked) {
    const current = await readRequest(ctx, PERMISSION_REQUESTS, options.id, scope);
    throw PERMISSION_REQUESTS.conflict(current, 'revoke the token of');
  }
  return revoked;
}
