import { withTransaction } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { assertLoginAllowed, recordLoginAttempt } from './login-throttle.js';
import type { Owner } from './owners.js';

/** What the owner's audit log keeps of a failed sign-in: never the password or the passkey answer. */
export interface FailedSignIn {
  method: 'password' | 'passkey';
  ip: string;
  userAgent?: string | undefined;
  /** The passkey that answered, when it is registered to this owner. */
  passkeyId?: string | undefined;
  /** Why it failed, in words the owner can read. */
  reason: string;
}

/** A User-Agent is shown to the owner, never parsed: one printable line, bounded. */
function readableUserAgent(userAgent: string | undefined): string | null {
  const cleaned = userAgent
    ?.replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 300);
  return cleaned ? cleaned : null;
}

/**
 * Appends `owner.sign_in_failed` to the owner's audit log: which method, from which client
 * address and browser, and why. Only for an owner the attempt named (an existing email, a
 * registered passkey): an unknown email has no log to write to, and writing one anywhere
 * would tell that the email is unknown.
 *
 * @example
 * await recordFailedSignIn(ctx, owner, { method: 'password', ip, reason: 'wrong password' });
 */
export async function recordFailedSignIn(
  ctx: CoreContext,
  owner: Owner,
  attempt: FailedSignIn,
): Promise<void> {
  await withTransaction(ctx.database, (tx) =>
    recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      actor: { type: 'system', id: null, label: `someone at ${attempt.ip}`, channel: 'dashboard' },
      action: 'owner.sign_in_failed',
      targetId: owner.id,
      details: {
        method: attempt.method,
        ip: attempt.ip,
        userAgent: readableUserAgent(attempt.userAgent),
        reason: attempt.reason,
        ...(attempt.passkeyId ? { passkeyId: attempt.passkeyId } : {}),
      },
    }),
  );
}

/**
 * Records a failed passkey sign-in that names an owner, within the sign-in limits: the
 * failure counts like a wrong password for (owner's email, address), and once that address
 * is over the limits nothing more is written, so a stream of bad answers cannot grow the
 * owner's log (or the attempts table) without bound. The answer to the browser is the same
 * either way.
 *
 * @example
 * await recordFailedPasskeySignIn(ctx, owner, { method: 'passkey', ip, passkeyId, reason });
 */
export async function recordFailedPasskeySignIn(
  ctx: CoreContext,
  owner: Owner,
  attempt: FailedSignIn,
): Promise<void> {
  try {
    await assertLoginAllowed(ctx, { email: owner.email, ip: attempt.ip });
  } catch (error) {
    if (error instanceof AppError && error.code === 'RATE_LIMITED') return;
    throw error;
  }
  await recordLoginAttempt(ctx, { email: owner.email, ip: attempt.ip, succeeded: false });
  await recordFailedSignIn(ctx, owner, attempt);
}
