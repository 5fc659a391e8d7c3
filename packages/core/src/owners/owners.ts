import {
  deleteSession,
  findSessionHolder,
  findUserByEmail,
  insertSession,
  insertUser,
  selectSomeUsers,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared/stored-values';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { hashSecret, newSecret } from '../secrets.js';

/** The owner the CLI acts for on a single-owner install. */
export const DEFAULT_OWNER_EMAIL = 'owner@localhost';

/** How many owners the "several owners exist" message names. */
const LISTED_OWNERS = 10;

export interface Owner {
  id: string;
  email: string;
}

/**
 * Returns the only owner, creating the default local owner on a fresh install. Refuses
 * when several owners exist, because then "the owner" is ambiguous.
 *
 * @example
 * const owner = await ensureDefaultOwner(ctx);
 */
export async function ensureDefaultOwner(ctx: CoreContext): Promise<Owner> {
  const db = ctx.database.db;
  const users = await selectSomeUsers(db, LISTED_OWNERS + 1);
  if (users.length > 1) {
    // Name them: the person at the terminal has to pick one and may not remember the emails.
    const names = users.slice(0, LISTED_OWNERS).map((user) => user.email);
    const more = users.length > LISTED_OWNERS ? ', …' : '';
    throw new AppError(
      'CONFLICT',
      `several owners exist (${names.join(', ')}${more}); name one with --user EMAIL, or set AGENT_OTP_USER=EMAIL to choose a default`,
    );
  }
  if (users[0]) return { id: users[0].id, email: users[0].email };
  const owner = { id: newId('usr'), email: DEFAULT_OWNER_EMAIL };
  // Another process may create the default owner at the same moment: whichever row won is it.
  await insertUser(db, { ...owner, password_hash: null, created_at: nowIso(ctx) }, { ifEmailFree: true });
  const row = await findUserByEmail(db, DEFAULT_OWNER_EMAIL);
  if (!row) throw new Error(`the default owner ${DEFAULT_OWNER_EMAIL} vanished right after it was created`);
  return { id: row.id, email: row.email };
}

/** Finds an owner by email (case-insensitive), or fails with NOT_FOUND. */
export async function findOwnerByEmail(ctx: CoreContext, email: string): Promise<Owner> {
  const row = await findUserByEmail(ctx.database.db, email.trim().toLowerCase());
  if (!row) throw new AppError('NOT_FOUND', `no owner with email ${email}`);
  return { id: row.id, email: row.email };
}

/**
 * Issues a short-lived owner bearer token (`os_…`) for the local CLI. Whoever can open the
 * database can already act as any owner, so the CLI mints its own token and then talks to
 * the running server like any other owner client, which wakes waiting agents at once.
 *
 * @example
 * const token = await createOwnerToken(ctx, owner.id, 300);
 */
export async function createOwnerToken(
  ctx: CoreContext,
  userId: string,
  ttlSeconds: number,
): Promise<string> {
  const { secret, hash } = newSecret('os');
  const now = ctx.clock.now();
  await insertSession(ctx.database.db, {
    id: newId('ses'),
    token_hash: hash,
    user_id: userId,
    kind: 'cli',
    csrf_token_hash: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    last_seen_at: null,
  });
  return secret;
}

/**
 * Resolves an owner bearer token to its owner, or fails with UNAUTHORIZED. Expired tokens
 * are refused (and removed).
 *
 * @example
 * const owner = await authenticateOwnerToken(ctx, 'os_…');
 */
export async function authenticateOwnerToken(ctx: CoreContext, token: string): Promise<Owner> {
  const row = await findSessionHolder(ctx.database.db, hashSecret(token), 'cli');
  if (!row) throw new AppError('UNAUTHORIZED', 'owner token is not valid');
  if (row.expires_at <= nowIso(ctx)) {
    await deleteSession(ctx.database.db, row.sessionId);
    throw new AppError('UNAUTHORIZED', 'owner token has expired');
  }
  return { id: row.id, email: row.email };
}
