import type { LoginAttemptsTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Failed sign-in attempts from an address (and for an email, if given) after `since`, oldest first. */
export function selectRecentFailedLogins(
  db: Tx,
  where: { email?: string; ip: string },
  since: string,
): Promise<Array<{ id: string; created_at: string }>> {
  let query = db
    .selectFrom('login_attempts')
    .select(['id', 'created_at'])
    .where('ip', '=', where.ip)
    .where('succeeded', '=', 0)
    .where('created_at', '>', since);
  if (where.email !== undefined) query = query.where('email', '=', where.email);
  return query.orderBy('created_at', 'asc').execute();
}

/** Stores one attempt. */
export async function insertLoginAttempt(db: Tx, attempt: LoginAttemptsTable): Promise<void> {
  await db.insertInto('login_attempts').values(attempt).execute();
}

/** Forgets one attempt. */
export async function deleteLoginAttempt(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('id', '=', id).execute();
}

/** Marks an attempt as a correct password. */
export async function markLoginSucceeded(db: Tx, id: string): Promise<void> {
  await db.updateTable('login_attempts').set({ succeeded: 1 }).where('id', '=', id).execute();
}

/** Forgets attempts made before `cutoff`. */
export async function deleteLoginAttemptsBefore(db: Tx, cutoff: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('created_at', '<', cutoff).execute();
}

/** Whether this email ever signed in successfully from this address (within what is kept). */
export async function hasSucceededLogin(db: Tx, attempt: { email: string; ip: string }): Promise<boolean> {
  const row = await db
    .selectFrom('login_attempts')
    .select('id')
    .where('email', '=', attempt.email)
    .where('ip', '=', attempt.ip)
    .where('succeeded', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
