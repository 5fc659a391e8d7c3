import {
  deleteOwnerBrowserSession,
  deleteOwnerBrowserSessions,
  findUserByEmail,
  listOwnerBrowserSessions,
  updateUserPasswordHash,
  withTransaction,
} from '@agent-otp/db';
import { AppError, type BrowserSessionSummary } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import {
  assertLoginAllowed,
  releaseLoginAttempt,
  reserveLoginAttempt,
  settleLoginAttempt,
} from './login-throttle.js';
import { validateCredentials } from './owner-accounts.js';
import type { Owner } from './owners.js';
import type { PasskeySession } from './passkeys.js';
import { defaultPasswordHashGate, hashPassword, verifyPassword } from './passwords.js';

function dashboardActor(owner: Owner): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel: 'dashboard' };
}

/**
 * The owner's browser sessions that have not expired, newest first, the one asking marked.
 *
 * @example
 * const sessions = await listBrowserSessions(ctx, { sessionId, owner });
 */
export async function listBrowserSessions(
  ctx: CoreContext,
  session: PasskeySession,
): Promise<BrowserSessionSummary[]> {
  const rows = await listOwnerBrowserSessions(
    ctx.database.db,
    session.owner.id,
    ctx.clock.now().toISOString(),
  );
  return rows.map((row) => ({
    id: row.id,
    userAgent: row.user_agent ?? null,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    current: row.id === session.sessionId,
  }));
}

/**
 * Ends one of the owner's browser sessions (this one too, if asked); its cookie stops
 * working at once. Another owner's session is NOT_FOUND.
 *
 * @example
 * await endOwnerBrowserSession(ctx, owner, 'ses_01J…');
 */
export async function endOwnerBrowserSession(
  ctx: CoreContext,
  owner: Owner,
  sessionId: string,
): Promise<void> {
  await withTransaction(ctx.database, async (tx) => {
    if (!(await deleteOwnerBrowserSession(tx, owner.id, sessionId)))
      throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    await recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      actor: dashboardActor(owner),
      action: 'owner.session_ended',
      targetId: sessionId,
    });
  });
}

/**
 * Changes the signed-in owner's password after checking the current one, and ends every
 * other browser session (someone who knew the old password may hold one). A wrong current
 * password counts as a failed sign-in for the rate limit, so a stolen session cannot be
 * used to guess it.
 *
 * @example
 * const { endedSessions } = await changePassword(ctx, { sessionId, owner }, { currentPassword, newPassword, ip });
 */
export async function changePassword(
  ctx: CoreContext,
  session: PasskeySession,
  input: { currentPassword: string; newPassword: string; ip: string },
): Promise<{ endedSessions: number }> {
  const gate = ctx.passwordHashGate ?? defaultPasswordHashGate;
  const email = session.owner.email;
  await assertLoginAllowed(ctx, { email, ip: input.ip });
  gate.assertRoom({ priority: true });
  const attemptId = await reserveLoginAttempt(ctx, { email, ip: input.ip });
  let ok: boolean;
  try {
    const user = await findUserByEmail(ctx.database.db, email);
    ok =
      user?.id === session.owner.id && user.password_hash
        ? await verifyPassword(input.currentPassword, user.password_hash, gate, { priority: true })
        : false;
  } catch (error) {
    await releaseLoginAttempt(ctx, attemptId);
    throw error;
  }
  await settleLoginAttempt(ctx, attemptId, ok);
  // Not 401: the session itself is fine, and a 401 would sign the dashboard out.
  if (!ok) throw new AppError('FORBIDDEN', 'the current password is wrong');
  const passwordHash = await hashPassword(input.newPassword, gate);
  return withTransaction(ctx.database, async (tx) => {
    await updateUserPasswordHash(tx, session.owner.id, passwordHash);
    const endedSessions = await deleteOwnerBrowserSessions(tx, session.owner.id, session.sessionId);
    await recordAuditEvent(ctx, tx, {
      ownerId: session.owner.id,
      actor: dashboardActor(session.owner),
      action: 'owner.password_changed',
      targetId: session.owner.id,
      details: { endedSessions },
    });
    return { endedSessions };
  });
}

/**
 * Sets an owner's password from the CLI (someone with the database in hand) and ends all of
 * their browser sessions.
 *
 * @example
 * await resetOwnerPassword(ctx, { email: 'you@example.com', newPassword });
 */
export async function resetOwnerPassword(
  ctx: CoreContext,
  input: { email: string; newPassword: string },
): Promise<{ owner: Owner; endedSessions: number }> {
  const { email, password } = validateCredentials(input.email, input.newPassword);
  const user = await findUserByEmail(ctx.database.db, email);
  if (!user) throw new AppError('NOT_FOUND', `no owner with email ${email}`);
  const passwordHash = await hashPassword(password, ctx.passwordHashGate ?? defaultPasswordHashGate);
  const owner = { id: user.id, email: user.email };
  const endedSessions = await withTransaction(ctx.database, async (tx) => {
    await updateUserPasswordHash(tx, owner.id, passwordHash);
    const ended = await deleteOwnerBrowserSessions(tx, owner.id);
    await recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      // Whoever runs the CLI holds the database, not necessarily the owner's identity.
      actor: { type: 'system', id: null, label: 'agent-otp user:reset-password', channel: 'cli' },
      action: 'owner.password_reset',
      targetId: owner.id,
      details: { endedSessions: ended },
    });
    return ended;
  });
  return { owner, endedSessions };
}
