import type { SessionRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Stores a new session (token and CSRF hashes only). */
export async function insertSession(tx: Tx, session: SessionRow): Promise<void> {
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
export function findSessionHolder(
  db: Tx,
  tokenHash: string,
  kind: SessionRow['kind'],
): Promise<SessionHolder | undefined> {
  return db
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
    .where('sessions.kind', '=', kind)
    .executeTakeFirst();
}

/** Records when a session was last used. */
export async function markSessionSeen(db: Tx, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Ends one session. */
export async function deleteSession(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}
