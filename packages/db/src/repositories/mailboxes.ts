import type { MailboxesTable, MailboxRow, MailboxState } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Every health state, in the order a mailbox usually walks them. */
export const MAILBOX_STATES: readonly MailboxState[] = [
  'connecting',
  'idle',
  'reconnecting',
  'failing',
  'stopped',
];

/** The health columns the instance running a mailbox writes. */
export interface MailboxHealthUpdate {
  state: MailboxState;
  state_since: string;
  last_error: string | null;
  last_message_at: string | null;
  reconnect_attempts: number;
  health_updated_at: string;
}

/** Stores a new mailbox (inside the caller's transaction). */
export async function insertMailbox(tx: Tx, row: MailboxRow): Promise<void> {
  await tx.insertInto('mailboxes').values(row).execute();
}

/** The owner's mailboxes that are not removed, oldest first. */
export function listOwnerMailboxes(tx: Tx, ownerId: string): Promise<MailboxRow[]> {
  return tx
    .selectFrom('mailboxes')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * One mailbox of one owner, undefined when it is another owner's, removed or unknown: the
 * owner filter is what keeps one owner from reading another's mailbox by guessing its id.
 */
export function findOwnerMailbox(tx: Tx, ownerId: string, id: string): Promise<MailboxRow | undefined> {
  return tx
    .selectFrom('mailboxes')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** Changes a live mailbox's label, settings or sealed credential; false when there is none. */
export async function updateMailbox(
  tx: Tx,
  id: string,
  change: Partial<Pick<MailboxesTable, 'name' | 'settings' | 'credential'>> & { updated_at: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('mailboxes')
    .set(change)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Marks a mailbox removed and erases its sealed credential in the same statement; the row
 * stays so audit rows and the capture source it acted as keep their meaning.
 */
export async function markMailboxRemoved(tx: Tx, ownerId: string, id: string, at: string): Promise<boolean> {
  const result = await tx
    .updateTable('mailboxes')
    .set({ removed_at: at, updated_at: at, credential: null, state: 'stopped', state_since: at })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Every live mailbox of every owner: what the supervisors of all instances share out. */
export function listLiveMailboxes(tx: Tx): Promise<MailboxRow[]> {
  return tx.selectFrom('mailboxes').selectAll().where('removed_at', 'is', null).orderBy('id').execute();
}

/**
 * Takes or renews the lease on a live mailbox for `holder` until `expiresAt`: it succeeds
 * when nobody holds it, `holder` already does, or the holder's lease ran out before `now`.
 * One conditional UPDATE, so two instances racing for one mailbox cannot both win.
 *
 * @example
 * if (await takeMailboxLease(db, { id, holder: 'ins_a', now, expiresAt })) startConnector();
 */
export async function takeMailboxLease(
  tx: Tx,
  lease: { id: string; holder: string; now: string; expiresAt: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('mailboxes')
    .set({ lease_holder: lease.holder, lease_expires_at: lease.expiresAt })
    .where('id', '=', lease.id)
    .where('removed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('lease_holder', 'is', null),
        eb('lease_holder', '=', lease.holder),
        eb('lease_expires_at', 'is', null),
        eb('lease_expires_at', '<', lease.now),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives a lease up (graceful shutdown, a removed or re-assigned mailbox) so another instance takes it at once. */
export async function releaseMailboxLease(tx: Tx, id: string, holder: string): Promise<void> {
  await tx
    .updateTable('mailboxes')
    .set({ lease_holder: null, lease_expires_at: null })
    .where('id', '=', id)
    .where('lease_holder', '=', holder)
    .execute();
}

/** Writes the health of a mailbox this holder runs; a holder that lost the lease writes nothing. */
export async function writeMailboxHealth(
  tx: Tx,
  id: string,
  holder: string,
  health: MailboxHealthUpdate,
): Promise<void> {
  await tx
    .updateTable('mailboxes')
    .set(health)
    .where('id', '=', id)
    .where('lease_holder', '=', holder)
    .where('removed_at', 'is', null)
    .execute();
}

/** The sealed credential of every live mailbox (key rotation re-seals them all). */
export function listSealedMailboxCredentials(tx: Tx): Promise<{ id: string; credential: string | null }[]> {
  return tx
    .selectFrom('mailboxes')
    .select(['id', 'credential'])
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Replaces one mailbox's sealed credential (key rotation, inside its transaction). */
export async function setSealedMailboxCredential(tx: Tx, id: string, credential: string): Promise<void> {
  await tx.updateTable('mailboxes').set({ credential }).where('id', '=', id).execute();
}

/** Live mailboxes of every owner by health state (for /metrics: no owner, no mailbox id). */
export async function countMailboxesByState(tx: Tx): Promise<{ state: MailboxState; count: number }[]> {
  const rows = await tx
    .selectFrom('mailboxes')
    .select((eb) => ['state', eb.fn.countAll<number | string>().as('count')])
    .where('removed_at', 'is', null)
    .groupBy('state')
    .execute();
  // PostgreSQL's count() is a bigint, which the driver hands back as text.
  return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
}
