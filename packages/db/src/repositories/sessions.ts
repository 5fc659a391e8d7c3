import type { Insertable } from 'kysely';
import { reusableQuery } from '../reusable-query.js';
import type { SessionRow, SessionsTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Stores a new session (token and CSRF hashes only). */
export async function insertSession(tx: Tx, session: Insertable<SessionsTable>): Promise<void> {
  await tx.insertInto('sessions').values(session).execute();
}

/** A session found by its token hash, with the owner it belongs to. */
export interface SessionHolder {
  sessionId: string;
  expires_at: string;
  csrf_token_hash: string | null;
  last_seen_at: string | null;
  id: string;
  email: string;
}

/** The session of this kind with this token hash, and its owner. */
export async function findSessionHolder(
  db: Tx,
  tokenHash: string,
  kind: SessionRow['kind'],
): Promise<SessionHolder | undefined> {
  const [holder] = await sessionHolderByHash(db, tokenHash, kind);
  return holder;
}

// Every owner call looks its session up: built and compiled once (reusable-query.ts).
const sessionHolderByHash = reusableQuery((db, tokenHash: string, kind: SessionRow['kind']) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.expires_at',
      'sessions.csrf_token_hash',
      'sessions.last_seen_at',
      'users.id',
      'users.email',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.kind', '=', kind),
);

/** Records when a session was last used. */
export async function markSessionSeen(db: Tx, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Ends one session. */
export async function deleteSession(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** An owner's unexpired browser sessions, most recently created first. */
export function listOwnerBrowserSessions(db: Tx, ownerId: string, now: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', ownerId)
    .where('kind', '=', 'browser')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Ends one of the owner's browser sessions; false when the owner has no such session. */
export async function deleteOwnerBrowserSession(tx: Tx, ownerId: string, id: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('sessions')
    .where('user_id', '=', ownerId)
    .where('kind', '=', 'browser')
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends every browser session of the owner except `keepId` (when given); returns how many ended. */
export async function deleteOwnerBrowserSessions(tx: Tx, ownerId: string, keepId?: string): Promise<number> {
  let query = tx.deleteFrom('sessions').where('user_id', '=', ownerId).where('kind', '=', 'browser');
  if (keepId !== undefined) query = query.where('id', '!=', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sets an owner's password hash. */
export async function updateUserPasswordHash(tx: Tx, id: string, passwordHash: string): Promise<void> {
  await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}
