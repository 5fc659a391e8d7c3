import { AppError } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';

/**
 * Failed sign-ins allowed per window: few per email (guessing one owner's password), more per
 * IP address (several people behind one NAT). Counted in the database, so restarts and
 * extra instances do not reset them.
 */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, failuresPerEmail: 10, failuresPerIp: 30 } as const;

/** Attempts older than this are deleted as new ones arrive. */
const KEEP_ATTEMPTS_MS = 24 * 60 * 60 * 1000;

async function failuresSince(ctx: CoreContext, column: 'email' | 'ip', value: string, since: string) {
  const rows = await ctx.database.db
    .selectFrom('login_attempts')
    .select('created_at')
    .where(column, '=', value)
    .where('succeeded', '=', 0)
    .where('created_at', '>', since)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map((r) => r.created_at);
}

/**
 * Fails with RATE_LIMITED (details.retryAfter in seconds) when this email or this IP address
 * has had too many failed sign-ins in the window. Call before checking the password.
 *
 * @example
 * await assertLoginAllowed(ctx, { email, ip });
 */
export async function assertLoginAllowed(ctx: CoreContext, attempt: { email: string; ip: string }) {
  const now = ctx.clock.now().getTime();
  const since = new Date(now - LOGIN_LIMITS.windowSeconds * 1000).toISOString();
  for (const [column, value, limit] of [
    ['email', attempt.email, LOGIN_LIMITS.failuresPerEmail],
    ['ip', attempt.ip, LOGIN_LIMITS.failuresPerIp],
  ] as const) {
    const failures = await failuresSince(ctx, column, value, since);
    if (failures.length < limit) continue;
    // The window reopens when the oldest failure that still counts drops out of it.
    const oldest = failures[failures.length - limit] ?? since;
    const retryAfter = Math.max(
      1,
      Math.ceil((Date.parse(oldest) + LOGIN_LIMITS.windowSeconds * 1000 - now) / 1000),
    );
    throw new AppError('RATE_LIMITED', `too many failed sign-ins; retry after ${retryAfter} s`, {
      retryAfter,
    });
  }
}

/**
 * Records one sign-in attempt (the password itself is never stored) and forgets old ones.
 *
 * @example
 * await recordLoginAttempt(ctx, { email, ip, succeeded: false });
 */
export async function recordLoginAttempt(
  ctx: CoreContext,
  attempt: { email: string; ip: string; succeeded: boolean },
): Promise<void> {
  await ctx.database.db
    .insertInto('login_attempts')
    .values({
      id: newId('lga'),
      email: attempt.email,
      ip: attempt.ip,
      succeeded: attempt.succeeded ? 1 : 0,
      created_at: nowIso(ctx),
    })
    .execute();
  const cutoff = new Date(ctx.clock.now().getTime() - KEEP_ATTEMPTS_MS).toISOString();
  await ctx.database.db.deleteFrom('login_attempts').where('created_at', '<', cutoff).execute();
}
