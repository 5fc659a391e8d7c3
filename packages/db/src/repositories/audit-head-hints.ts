import { sql } from 'kysely';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditCheckpointsTable, AuditEventRow } from '../schema.js';
import type { Tx } from '../transaction.js';
import { type AuditKey, signAuditCheckpoint } from './audit-crypto.js';

/**
 * What this process last wrote at the head of a chain: the row, and the checkpoint that
 * vouches for it. It is only a guess: another process (the CLI, another instance), a rolled
 * back transaction or tampering may have moved the chain since, so every use checks it
 * inside the very statement that writes, and a wrong guess costs one fallback to reading.
 */
export interface AuditChainHead {
  seq: number;
  hash: string;
  checkpoint: Pick<AuditCheckpointsTable, 'legacy_length' | 'length' | 'head_hash' | 'signature'>;
}

// Per audit key (one per relay process), then per chain. Keyed by the key object rather
// than the database handle so callers keep passing (tx, dialect, key); a process that used
// one key object with two databases would only guess wrong and read.
const heads = new WeakMap<AuditKey, Map<string, AuditChainHead>>();

export function auditChainHeadHint(key: AuditKey, chain: string): AuditChainHead | undefined {
  return heads.get(key)?.get(chain);
}

/** Remembers the head a chain now has, or forgets it (`undefined`: not vouched for, so read next time). */
export function rememberAuditChainHead(key: AuditKey, chain: string, head: AuditChainHead | undefined): void {
  let chains = heads.get(key);
  if (!chains) {
    chains = new Map();
    heads.set(key, chains);
  }
  if (head) chains.set(chain, head);
  else chains.delete(chain);
}

/** How a guessed append went: the row written or not, and the checkpoint moved or not. */
export interface GuessedAppend {
  inserted: boolean;
  /** The new checkpoint when the stored one was exactly the guessed one and moved to the new row. */
  advanced: AuditChainHead['checkpoint'] | undefined;
}

/**
 * Appends `row` on top of the guessed head in one statement (PostgreSQL: with the chain's
 * advisory lock and the checkpoint's move) or two (SQLite, whose write lock the transaction
 * already holds). The row goes in only if the chain's last row is still exactly the guessed
 * one (same seq, same hash, nothing after it) and no row took its seq meanwhile (`on
 * conflict do nothing`: on PostgreSQL the statement's snapshot predates the lock, so an
 * append committed while it waited is caught by the unique (chain, seq) key, not the
 * check). The checkpoint moves only from exactly the guessed, signed state, so a checkpoint
 * someone rolled back or forged is never re-signed.
 */
export async function appendOnGuessedHead(
  tx: Tx,
  dialect: DatabaseHandle['dialect'],
  key: AuditKey,
  guess: AuditChainHead,
  row: AuditEventRow,
): Promise<GuessedAppend> {
  const next = { ...guess.checkpoint, length: row.seq, head_hash: row.hash };
  const advanced = { ...next, signature: signAuditCheckpoint(key, { chain: row.chain, ...next }) };
  const pg = dialect === 'postgres';
  const values = sql.join([
    sql`${row.id}`,
    sql`${row.chain}`,
    pg ? sql`cast(${row.created_at} as timestamptz)` : sql`${row.created_at}`,
    sql`${row.actor_type}`,
    sql`${row.actor_id}`,
    sql`${row.channel}`,
    sql`${row.action}`,
    sql`${row.target_id}`,
    sql`${row.details}`,
    pg ? sql`cast(${row.seq} as integer)` : sql`${row.seq}`,
    sql`${row.prev_hash}`,
    sql`${row.hash}`,
  ]);
  const insert = sql`insert into audit_events
      (id, chain, created_at, actor_type, actor_id, channel, action, target_id, details, seq, prev_hash, hash)
    select ${values} ${pg ? sql`from chain_lock` : sql``}
    where exists (select 1 from audit_events where chain = ${row.chain} and seq = ${guess.seq} and hash = ${guess.hash})
      and not exists (select 1 from audit_events where chain = ${row.chain} and seq > ${guess.seq})
    on conflict (chain, seq) do nothing`;
  const moveCheckpoint = sql`update audit_checkpoints
    set length = ${advanced.length}, head_hash = ${advanced.head_hash},
      updated_at = ${pg ? sql`cast(${row.created_at} as timestamptz)` : sql`${row.created_at}`},
      signature = ${advanced.signature}
    where chain = ${row.chain} and legacy_length = ${guess.checkpoint.legacy_length}
      and length = ${guess.checkpoint.length} and head_hash = ${guess.checkpoint.head_hash}
      and signature = ${guess.checkpoint.signature}`;
  if (pg) {
    const result = await sql<{ inserted: number; advanced: number }>`
      with chain_lock as (select pg_advisory_xact_lock(hashtext(${`audit:${row.chain}`}))),
      inserted as (${insert} returning seq),
      advanced as (${moveCheckpoint} and exists (select 1 from inserted) returning chain)
      select (select count(*) from inserted) as inserted, (select count(*) from advanced) as advanced`.execute(
      tx,
    );
    const counts = result.rows[0];
    return {
      inserted: Number(counts?.inserted) === 1,
      advanced: Number(counts?.advanced) === 1 ? advanced : undefined,
    };
  }
  const inserted = await insert.execute(tx);
  if (inserted.numAffectedRows !== 1n) return { inserted: false, advanced: undefined };
  const moved = await moveCheckpoint.execute(tx);
  return { inserted: true, advanced: moved.numAffectedRows === 1n ? advanced : undefined };
}
