import type { UserRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/** An owner as most callers need one: id and email. */
export interface OwnerIdentity {
  id: string;
  email: string;
}

/** An owner by id. */
export function findOwner(db: Tx, id: string): Promise<OwnerIdentity | undefined> {
  return db.selectFrom('users').select(['id', 'email']).where('id', '=', id).executeTakeFirst();
}

/** An owner's account by (already normalised) email, password hash included. */
export function findUserByEmail(db: Tx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Up to `limit` accounts (enough to tell "none", "one" and "several" apart). */
export function selectSomeUsers(db: Tx, limit: number): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().limit(limit).execute();
}

/** Whether any account has a password yet. */
export async function anyUserHasPassword(db: Tx): Promise<boolean> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('password_hash', 'is not', null)
    .limit(1)
    .execute();
  return rows.length > 0;
}

/** Stores a new account; with `ifEmailFree`, a racing insert of the same email is ignored. */
export async function insertUser(
  tx: Tx,
  user: UserRow,
  options: { ifEmailFree?: boolean } = {},
): Promise<void> {
  let query = tx.insertInto('users').values(user);
  if (options.ifEmailFree) query = query.onConflict((oc) => oc.column('email').doNothing());
  await query.execute();
}

/** Renames an account and sets its password hash (claiming a passwordless owner). */
export async function updateUserCredentials(
  tx: Tx,
  id: string,
  credentials: { email: string; password_hash: string },
): Promise<void> {
  await tx.updateTable('users').set(credentials).where('id', '=', id).execute();
}
