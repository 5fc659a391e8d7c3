import { sql } from 'kysely';
import { canonicalJson } from '../canonical-json.js';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditEventRow, AuditEventsTable } from '../schema.js';
import type { Tx } from '../transaction.js';
import { advanceAuditCheckpoint, registerAuditChain, sealAuditLogIn } from './audit-checkpoints.js';
import { type AuditKey, keyedAuditRowHash } from './audit-crypto.js';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditEvent = Omit<AuditEventsTable, 'seq' | 'prev_hash' | 'hash' | 'details'> & {
  details: Record<string, unknown>;
};

/**
 * Appends one event to its chain inside the caller's transaction, so the event commits
 * with the change it records or not at all. The row is hashed with the audit key (HMAC),
 * and the chain's signed checkpoint moves to the new head in the same transaction. Appends
 * to one chain are serialised (an advisory lock on PostgreSQL, the write lock on SQLite)
 * so the chain never forks.
 *
 * @example
 * await withTransaction(handle, (tx) => appendAuditEvent(tx, handle.dialect, key, event));
 */
export async function appendAuditEvent(
  tx: Tx,
  dialect: DatabaseHandle['dialect'],
  key: AuditKey,
  event: NewAuditEvent,
): Promise<AuditEventRow> {
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext(${`audit:${event.chain}`}))`.execute(tx);
  const last = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('chain', '=', event.chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const checkpoint = await tx
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('chain', '=', event.chain)
    .executeTakeFirst();
  // A new chain on a log nobody has sealed yet (a database opened without start-up's seal):
  // seal first, so the rows already there are adopted as legacy and this one is keyed.
  if (!last && !checkpoint) await sealAuditLogIn(tx, dialect, key);
  const withoutHash: Omit<AuditEventRow, 'hash'> = {
    ...event,
    details: canonicalJson(event.details),
    seq: (last?.seq ?? 0) + 1,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditEventRow = { ...withoutHash, hash: keyedAuditRowHash(key, withoutHash) };
  await tx.insertInto('audit_events').values(row).execute();
  if (checkpoint && last) await advanceAuditCheckpoint(tx, key, checkpoint, last, row);
  // Rows without a checkpoint, or a checkpoint without rows, are evidence of deletion: leave them for the verifier.
  else if (!checkpoint && !last) await registerAuditChain(tx, dialect, key, row);
  return row;
}
