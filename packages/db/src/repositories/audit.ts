import { sql } from 'kysely';
import { canonicalJson } from '../canonical-json.js';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditCheckpointsTable, AuditEventRow, AuditEventsTable } from '../schema.js';
import type { Tx } from '../transaction.js';
import { advanceAuditCheckpoint, registerAuditChain, sealAuditLogIn } from './audit-checkpoints.js';
import { type AuditKey, keyedAuditRowHash } from './audit-crypto.js';
import {
  type AuditChainHead,
  appendOnGuessedHead,
  auditChainHeadHint,
  rememberAuditChainHead,
} from './audit-head-hints.js';

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
 * The process remembers the head it last wrote per chain, and appends on it without reading
 * the chain first: the write itself checks the guess (see {@link appendOnGuessedHead}), so one
 * statement (PostgreSQL) or two (SQLite) do what five did. A wrong guess (another process
 * appended, a transaction rolled back, rows or the checkpoint were tampered with) writes
 * nothing and falls back to reading the head under the lock, as every append did before.
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
  const guess = auditChainHeadHint(key, event.chain);
  if (guess) {
    const row = hashedRow(key, event, guess);
    const outcome = await appendOnGuessedHead(tx, dialect, key, guess, row);
    if (outcome.inserted) {
      const checkpoint =
        outcome.advanced ??
        // The row is on the guessed head, but the checkpoint is not the one that vouched for
        // it: decide as a read-first append would have.
        (await advanceStoredCheckpoint(tx, key, event.chain, guess, row));
      rememberAuditChainHead(key, event.chain, checkpoint && headOf(row, checkpoint));
      return row;
    }
  }
  return appendAfterReadingHead(tx, dialect, key, event);
}

/** The append that reads the chain's head and checkpoint first (under the lock) and decides from them. */
async function appendAfterReadingHead(
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
  const checkpoint = await readCheckpoint(tx, event.chain);
  // A new chain on a log nobody has sealed yet (a database opened without start-up's seal):
  // seal first, so the rows already there are adopted as legacy and this one is keyed.
  if (!last && !checkpoint) await sealAuditLogIn(tx, dialect, key);
  const row = hashedRow(key, event, last);
  await tx.insertInto('audit_events').values(row).execute();
  let vouching: AuditCheckpointsTable | undefined;
  if (checkpoint && last) vouching = await advanceAuditCheckpoint(tx, key, checkpoint, last, row);
  // Rows without a checkpoint, or a checkpoint without rows, are evidence of deletion: leave them for the verifier.
  else if (!checkpoint && !last) vouching = await registerAuditChain(tx, dialect, key, row);
  rememberAuditChainHead(key, event.chain, vouching && headOf(row, vouching));
  return row;
}

function readCheckpoint(tx: Tx, chain: string): Promise<AuditCheckpointsTable | undefined> {
  return tx.selectFrom('audit_checkpoints').selectAll().where('chain', '=', chain).executeTakeFirst();
}

async function advanceStoredCheckpoint(
  tx: Tx,
  key: AuditKey,
  chain: string,
  previous: { seq: number; hash: string },
  row: AuditEventRow,
): Promise<AuditCheckpointsTable | undefined> {
  const checkpoint = await readCheckpoint(tx, chain);
  return checkpoint && advanceAuditCheckpoint(tx, key, checkpoint, previous, row);
}

function hashedRow(
  key: AuditKey,
  event: NewAuditEvent,
  previous: { seq: number; hash: string } | undefined,
): AuditEventRow {
  const withoutHash: Omit<AuditEventRow, 'hash'> = {
    ...event,
    details: canonicalJson(event.details),
    seq: (previous?.seq ?? 0) + 1,
    prev_hash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...withoutHash, hash: keyedAuditRowHash(key, withoutHash) };
}

function headOf(row: AuditEventRow, checkpoint: AuditChainHead['checkpoint']): AuditChainHead {
  const { legacy_length, length, head_hash, signature } = checkpoint;
  return { seq: row.seq, hash: row.hash, checkpoint: { legacy_length, length, head_hash, signature } };
}
