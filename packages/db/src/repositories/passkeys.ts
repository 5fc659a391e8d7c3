import type { PasskeyChallengeRow, PasskeyRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Stores a newly registered passkey. */
export async function insertPasskey(tx: Tx, passkey: PasskeyRow): Promise<void> {
  await tx.insertInto('passkeys').values(passkey).execute();
}

/** An owner's passkeys, oldest first. */
export function listOwnerPasskeys(db: Tx, ownerId: string): Promise<PasskeyRow[]> {
  return db.selectFrom('passkeys').selectAll().where('owner_id', '=', ownerId).orderBy('id').execute();
}

/** One of the owner's passkeys; another owner's is simply absent. */
export function findOwnerPasskey(db: Tx, ownerId: string, id: string): Promise<PasskeyRow | undefined> {
  return db
    .selectFrom('passkeys')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The passkey with this credential ID, whoever owns it (a sign-in learns the owner from it). */
export function findPasskeyByCredentialId(db: Tx, credentialId: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

/** Renames one of the owner's passkeys; false when the owner has no such passkey. */
export async function renameOwnerPasskey(
  tx: Tx,
  ownerId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const result = await tx
    .updateTable('passkeys')
    .set({ name })
    .where('owner_id', '=', ownerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Removes one of the owner's passkeys; false when the owner has no such passkey. */
export async function deleteOwnerPasskey(tx: Tx, ownerId: string, id: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('passkeys')
    .where('owner_id', '=', ownerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Records a use of a passkey and its new signature counter, only if the counter is still the
 * one the assertion was checked against: of two assertions racing with the same counter, one
 * wins. False when another use got there first.
 */
export async function recordPasskeyUse(
  tx: Tx,
  id: string,
  uses: { previousCount: number; newCount: number; at: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('passkeys')
    .set({ sign_count: uses.newCount, last_used_at: uses.at })
    .where('id', '=', id)
    .where('sign_count', '=', uses.previousCount)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Stores a challenge handed to a browser. */
export async function insertPasskeyChallenge(tx: Tx, challenge: PasskeyChallengeRow): Promise<void> {
  await tx.insertInto('passkey_challenges').values(challenge).execute();
}

/**
 * Takes a challenge out of the table and returns it, so it can answer once: a second use (a
 * replay, or two racing requests) finds nothing. Expired challenges are returned too, so the
 * caller can say "expired" rather than "unknown".
 */
export async function takePasskeyChallenge(
  tx: Tx,
  challengeHash: string,
): Promise<PasskeyChallengeRow | undefined> {
  const row = await tx
    .selectFrom('passkey_challenges')
    .selectAll()
    .where('challenge_hash', '=', challengeHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const taken = await tx.deleteFrom('passkey_challenges').where('id', '=', row.id).executeTakeFirst();
  return taken.numDeletedRows > 0n ? row : undefined;
}

/** Drops challenges that expired before `now` (nobody can answer them any more). */
export async function deleteExpiredPasskeyChallenges(tx: Tx, now: string): Promise<void> {
  await tx.deleteFrom('passkey_challenges').where('expires_at', '<', now).execute();
}

/** How many challenges of this purpose are outstanding. */
export async function countPasskeyChallenges(
  db: Tx,
  purpose: PasskeyChallengeRow['purpose'],
): Promise<number> {
  const row = await db
    .selectFrom('passkey_challenges')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
