import {
  deleteLoginAttempt,
  deleteLoginAttemptsBefore,
  hasSucceededLogin,
  insertLoginAttempt,
  markLoginSucceeded,
  selectRecentFailedLogins,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';

/**
 * Failed sign-ins allowed per window: few per (email, address) pair (guessing one owner's
 * password from one place), more per address (several people behind one NAT). There is
 * deliberately no limit per email alone: anyone could then lock the owner out by failing
 * on purpose. Guessing from many addresses at once is bounded instead by the relay-wide
 * budget of concurrent password hashes (PASSWORD_HASH_CONCURRENCY) and by the password's
 * strength (12 characters at least). Counted in the database, so restarts and extra
 * instances do not reset them.
 */
export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  failuresPerEmailAndAddress: 10,
  failuresPerAddress: 30,
} as const;

/** Attempts older than this are deleted as new ones arrive. */
const KEEP_ATTEMPTS_MS = 24 * 60 * 60 * 1000;

async function failuresSince(
  ctx: CoreContext,
  where: { email?: string; ip: string },
  since: string,
): Promise<Array<{ id: string; created_at: string }>> {
  return selectRecentFailedLogins(ctx.database.db, where, since);
}

/** An attempt counts as a failure until {@link settleLoginAttempt} records otherwise. */
function insertUnsettledAttempt(ctx: CoreContext, id: string, attempt: { email: string; ip: string }) {
  return insertLoginAttempt(ctx.database.db, {
    id,
    email: attempt.email,
    ip: attempt.ip,
    succeeded: 0,
    created_at: nowIso(ctx),
  });
}

/**
 * Reserves one sign-in attempt before any password is hashed, so N concurrent guesses
 * cannot all reach scrypt: the reservation is written first (as a failure until
 * {@link settleLoginAttempt} says otherwise), then the failures are counted including it.
 * Every reservation is committed before its own count runs, so whichever concurrent
 * attempts see themselves within the limit are at most `limit` many, on SQLite and
 * PostgreSQL alike, without locks. Over the limit the reservation is withdrawn and the
 * call fails with RATE_LIMITED (`details.retryAfter` in seconds). Call
 * {@link assertLoginAllowed} first, so an address that is already locked out costs no writes.
 *
 * @example
 * const attemptId = await reserveLoginAttempt(ctx, { email, ip });
 * const ok = await verifyPassword(typed, stored);
 * await settleLoginAttempt(ctx, attemptId, ok);
 */
export async function reserveLoginAttempt(
  ctx: CoreContext,
  attempt: { email: string; ip: string },
): Promise<string> {
  const { since, now } = loginWindow(ctx);
  const id = newId('lga');
  await insertUnsettledAttempt(ctx, id, attempt);
  try {
    await assertUnderLimits(ctx, attempt, { since, now, own: id });
  } catch (error) {
    await releaseLoginAttempt(ctx, id);
    throw error;
  }
  return id;
}

function loginWindow(ctx: CoreContext) {
  const now = ctx.clock.now().getTime();
  return { now, since: new Date(now - LOGIN_LIMITS.windowSeconds * 1000).toISOString() };
}

/**
 * Fails with RATE_LIMITED (details.retryAfter in seconds) when this email at this address,
 * or this address, already has too many failed sign-ins in the window. Reads only, so a
 * locked-out address is refused without writing anything; {@link reserveLoginAttempt}
 * repeats the check atomically with its reservation.
 *
 * @example
 * await assertLoginAllowed(ctx, { email, ip });
 */
export async function assertLoginAllowed(
  ctx: CoreContext,
  attempt: { email: string; ip: string },
): Promise<void> {
  await assertUnderLimits(ctx, attempt, { ...loginWindow(ctx), own: undefined });
}

/**
 * Fails with RATE_LIMITED when the failures in the window (counting the caller's own
 * reservation `own`, if made) exceed a limit.
 */
async function assertUnderLimits(
  ctx: CoreContext,
  attempt: { email: string; ip: string },
  window: { since: string; now: number; own: string | undefined },
): Promise<void> {
  for (const [where, limit] of [
    [{ email: attempt.email, ip: attempt.ip }, LOGIN_LIMITS.failuresPerEmailAndAddress],
    [{ ip: attempt.ip }, LOGIN_LIMITS.failuresPerAddress],
  ] as const) {
    const failures = await failuresSince(ctx, where, window.since);
    const others = failures.filter((f) => f.id !== window.own);
    if (others.length < limit) continue;
    // The window reopens when enough of the other failures have dropped out of it.
    const oldest = others[others.length - limit]?.created_at ?? window.since;
    const retryAfter = Math.max(
      1,
      Math.ceil((Date.parse(oldest) + LOGIN_LIMITS.windowSeconds * 1000 - window.now) / 1000),
    );
    throw new AppError('RATE_LIMITED', `too many failed sign-ins; retry after ${retryAfter} s`, {
      retryAfter,
    });
  }
}

/**
 * Withdraws a reservation whose password was never checked (the hash budget was full), so
 * a "busy, retry" answer does not count against the caller.
 *
 * @example
 * await releaseLoginAttempt(ctx, attemptId);
 */
export async function releaseLoginAttempt(ctx: CoreContext, attemptId: string): Promise<void> {
  await deleteLoginAttempt(ctx.database.db, attemptId);
}

/**
 * Records how a reserved attempt ended (the password itself is never stored) and forgets
 * old attempts.
 *
 * @example
 * await settleLoginAttempt(ctx, attemptId, true);
 */
export async function settleLoginAttempt(
  ctx: CoreContext,
  attemptId: string,
  succeeded: boolean,
): Promise<void> {
  if (succeeded) await markLoginSucceeded(ctx.database.db, attemptId);
  const cutoff = new Date(ctx.clock.now().getTime() - KEEP_ATTEMPTS_MS).toISOString();
  await deleteLoginAttemptsBefore(ctx.database.db, cutoff);
}

/**
 * Whether this email has signed in successfully from this address recently (attempts are
 * kept a day). Such sign-ins jump the password-hash queue, so a flood from elsewhere
 * does not keep the owner waiting at a place they use. Only a correct password ever
 * creates that record, so an attacker cannot earn the priority by guessing.
 *
 * @example
 * const priority = await signedInBefore(ctx, { email, ip });
 */
export async function signedInBefore(
  ctx: CoreContext,
  attempt: { email: string; ip: string },
): Promise<boolean> {
  return hasSucceededLogin(ctx.database.db, attempt);
}

/**
 * Records one finished sign-in attempt without a reservation (imports, tests that set up
 * history without paying for scrypt).
 *
 * @example
 * await recordLoginAttempt(ctx, { email, ip, succeeded: false });
 */
export async function recordLoginAttempt(
  ctx: CoreContext,
  attempt: { email: string; ip: string; succeeded: boolean },
): Promise<void> {
  const id = newId('lga');
  await insertUnsettledAttempt(ctx, id, attempt);
  await settleLoginAttempt(ctx, id, attempt.succeeded);
}
