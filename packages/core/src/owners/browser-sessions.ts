import {
  deleteSession,
  findSessionHolder,
  findUserByEmail,
  insertSession,
  markSessionSeen,
  withTransaction,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { digestsEqual, hashSecret, newSecret } from '../secrets.js';
import { recordFailedSignIn } from './failed-sign-ins.js';
import {
  assertLoginAllowed,
  releaseLoginAttempt,
  reserveLoginAttempt,
  settleLoginAttempt,
  signedInBefore,
} from './login-throttle.js';
import type { Owner } from './owners.js';
import { defaultPasswordHashGate, verifyAgainstDecoy, verifyPassword } from './passwords.js';

/** How long a dashboard sign-in lasts; after that the owner signs in again. */
export const BROWSER_SESSION_TTL_SECONDS = 12 * 60 * 60;

/** `last_seen_at` is refreshed at most this often, so reads do not each cost a write. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface BrowserSession {
  token: string;
  /** Sent back by the dashboard in a header on every state-changing request. */
  csrfToken: string;
  owner: Owner;
  expiresAt: string;
}

/** A User-Agent longer than this is cut: it is shown to the owner, never parsed. */
const USER_AGENT_MAX_LENGTH = 300;

/** How a session was opened, and from which browser; both shown on the Account page and in the audit log. */
export interface SessionOrigin {
  userAgent?: string | undefined;
  method?: { kind: 'password' } | { kind: 'passkey'; passkeyId: string } | { kind: 'setup' };
}

/** The User-Agent as stored: one line of printable text, bounded. */
function storableUserAgent(userAgent: string | undefined): string | null {
  const cleaned = userAgent
    ?.replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, USER_AGENT_MAX_LENGTH);
  return cleaned ? cleaned : null;
}

function methodDetails(method: NonNullable<SessionOrigin['method']>): Record<string, unknown> {
  return method.kind === 'passkey'
    ? { method: 'passkey', passkeyId: method.passkeyId }
    : { method: method.kind };
}

/**
 * Creates a dashboard session for an owner. The session and CSRF tokens are returned once;
 * the database keeps only their hashes.
 *
 * @example
 * const session = await createBrowserSession(ctx, owner, { userAgent, method: { kind: 'password' } });
 */
export async function createBrowserSession(
  ctx: CoreContext,
  owner: Owner,
  origin: SessionOrigin = {},
): Promise<BrowserSession> {
  const session = newSecret('ses');
  const csrf = newSecret('csrf');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + BROWSER_SESSION_TTL_SECONDS * 1000).toISOString();
  await withTransaction(ctx.database, async (tx) => {
    await insertSession(tx, {
      id: newId('ses'),
      token_hash: session.hash,
      user_id: owner.id,
      kind: 'browser',
      csrf_token_hash: csrf.hash,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_seen_at: now.toISOString(),
      user_agent: storableUserAgent(origin.userAgent),
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      actor: { type: 'owner', id: owner.id, label: owner.email, channel: 'dashboard' },
      action: 'owner.signed_in',
      targetId: owner.id,
      ...(origin.method ? { details: methodDetails(origin.method) } : {}),
    });
  });
  return { token: session.secret, csrfToken: csrf.secret, owner, expiresAt };
}

/**
 * Checks an email and password (rate-limited per (email, address) pair and per address, with
 * a bounded number of password hashes at once) and opens a dashboard session. A wrong email and a wrong password fail alike, in about the same time.
 * A wrong password for an existing owner is appended to that owner's audit log
 * (`owner.sign_in_failed`, with the client address); a wrong email writes no audit row.
 *
 * @example
 * const session = await signInWithPassword(ctx, { email, password, ip: '203.0.113.7' });
 */
export async function signInWithPassword(
  ctx: CoreContext,
  options: { email: string; password: string; ip: string; userAgent?: string | undefined },
): Promise<BrowserSession> {
  const email = options.email.trim().toLowerCase();
  const gate = ctx.passwordHashGate ?? defaultPasswordHashGate;
  // Looked up for every email alike, so timing does not tell which emails have accounts.
  const priority = await signedInBefore(ctx, { email, ip: options.ip });
  // Cheapest refusals first, both before anything is written: a locked-out address (429),
  // then a full hash queue (503).
  await assertLoginAllowed(ctx, { email, ip: options.ip });
  gate.assertRoom({ priority });
  // The slot is taken before scrypt runs, so a burst of guesses cannot all reach it.
  const attemptId = await reserveLoginAttempt(ctx, { email, ip: options.ip });
  let ok: boolean;
  let user: { id: string; email: string; password_hash: string | null } | undefined;
  try {
    user = await findUserByEmail(ctx.database.db, email);
    ok = user?.password_hash
      ? await verifyPassword(options.password, user.password_hash, gate, { priority })
      : await verifyAgainstDecoy(options.password, gate);
  } catch (error) {
    // Never checked (hash budget full, database down): the attempt does not count.
    await releaseLoginAttempt(ctx, attemptId);
    throw error;
  }
  await settleLoginAttempt(ctx, attemptId, ok);
  if (!ok && user)
    await recordFailedSignIn(
      ctx,
      { id: user.id, email: user.email },
      { method: 'password', ip: options.ip, userAgent: options.userAgent, reason: 'wrong password' },
    );
  if (!ok || !user) throw new AppError('UNAUTHORIZED', 'email or password is wrong');
  return createBrowserSession(
    ctx,
    { id: user.id, email: user.email },
    { userAgent: options.userAgent, method: { kind: 'password' } },
  );
}

export interface AuthenticatedBrowserSession {
  sessionId: string;
  owner: Owner;
  expiresAt: string;
  csrfTokenHash: string;
}

/**
 * Resolves a dashboard session cookie to its owner, or fails with UNAUTHORIZED. Expired
 * sessions are refused and removed.
 *
 * @example
 * const { owner } = await authenticateBrowserSession(ctx, cookieValue);
 */
export async function authenticateBrowserSession(
  ctx: CoreContext,
  token: string,
): Promise<AuthenticatedBrowserSession> {
  const row = await findSessionHolder(ctx.database.db, hashSecret(token), 'browser');
  if (!row?.csrf_token_hash) throw new AppError('UNAUTHORIZED', 'not signed in');
  const now = ctx.clock.now();
  if (row.expires_at <= now.toISOString()) {
    await deleteSession(ctx.database.db, row.sessionId);
    throw new AppError('UNAUTHORIZED', 'your session has expired; sign in again');
  }
  if (!row.last_seen_at || now.getTime() - Date.parse(row.last_seen_at) > LAST_SEEN_RESOLUTION_MS) {
    await markSessionSeen(ctx.database.db, row.sessionId, now.toISOString());
  }
  return {
    sessionId: row.sessionId,
    owner: { id: row.id, email: row.email },
    expiresAt: row.expires_at,
    csrfTokenHash: row.csrf_token_hash,
  };
}

/**
 * Whether the CSRF token the dashboard sent belongs to this session (constant-time).
 *
 * @example
 * if (!csrfTokenMatches(session, c.req.header('x-csrf-token'))) throw …;
 */
export function csrfTokenMatches(
  session: Pick<AuthenticatedBrowserSession, 'csrfTokenHash'>,
  presented?: string,
) {
  return (
    presented !== undefined &&
    presented.length > 0 &&
    digestsEqual(hashSecret(presented), session.csrfTokenHash)
  );
}

/**
 * Ends a dashboard session (sign out); its cookie stops working at once.
 *
 * @example
 * await endBrowserSession(ctx, session);
 */
export async function endBrowserSession(
  ctx: CoreContext,
  session: AuthenticatedBrowserSession,
): Promise<void> {
  await withTransaction(ctx.database, async (tx) => {
    await deleteSession(tx, session.sessionId);
    await recordAuditEvent(ctx, tx, {
      ownerId: session.owner.id,
      actor: { type: 'owner', id: session.owner.id, label: session.owner.email, channel: 'dashboard' },
      action: 'owner.signed_out',
      targetId: session.owner.id,
      details: { at: nowIso(ctx) },
    });
  });
}
