import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../canonical-json.js';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditEventRow, AuditEventsTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditEvent = Omit<AuditEventsTable, 'seq' | 'prev_hash' | 'hash' | 'details'> & {
  details: Record<string, unknown>;
};

/** The hash of one row: everything it says, chained to the row before it. */
export function hashAuditRow(row: Omit<AuditEventRow, 'hash'>): string {
  const content = canonicalJson({
    action: row.action,
    actorId: row.actor_id,
    actorType: row.actor_type,
    chain: row.chain,
    channel: row.channel,
    createdAt: row.created_at,
    details: row.details,
    id: row.id,
    seq: row.seq,
    targetId: row.target_id,
  });
  return createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex');
}

/**
 * Appends one event to its chain inside the caller's transaction, so the event commits
 * with the change it records or not at all. Appends to one chain are serialised (an
 * advisory lock on PostgreSQL, the write lock on SQLite) so the chain never forks.
 *
 * @example
 * await withTransaction(handle, (tx) => appendAuditEvent(tx, handle.dialect, event));
 */
export async function appendAuditEvent(
  tx: Tx,
  dialect: DatabaseHandle['dialect'],
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
  const withoutHash: Omit<AuditEventRow, 'hash'> = {
    ...event,
    details: canonicalJson(event.details),
    seq: (last?.seq ?? 0) + 1,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditEventRow = { ...withoutHash, hash: hashAuditRow(withoutHash) };
  await tx.insertInto('audit_events').values(row).execute();
  return row;
}

export interface ChainBreak {
  chain: string;
  seq: number;
  id: string;
  reason: string;
}

/**
 * Walks every chain (or one) from its first row and reports the first row whose hash, link
 * or sequence does not hold.
 *
 * @example
 * const { ok, checked, brokenAt } = await verifyAuditChains(handle.db);
 */
export async function verifyAuditChains(
  db: Tx,
  onlyChain?: string,
): Promise<{ ok: boolean; checked: number; brokenAt: ChainBreak | null }> {
  const chainsQuery = db.selectFrom('audit_events').select('chain').distinct();
  const chains = onlyChain ? [onlyChain] : (await chainsQuery.execute()).map((r) => r.chain).sort();
  let checked = 0;
  for (const chain of chains) {
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let afterSeq = 0;
    for (;;) {
      const page = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain', '=', chain)
        .where('seq', '>', afterSeq)
        .orderBy('seq', 'asc')
        .limit(1000)
        .execute();
      if (page.length === 0) break;
      for (const row of page) {
        checked++;
        const brokenAt = (reason: string) => ({
          ok: false,
          checked,
          brokenAt: { chain, seq: row.seq, id: row.id, reason },
        });
        if (row.seq !== expectedSeq) return brokenAt(`sequence jumps from ${expectedSeq - 1} to ${row.seq}`);
        if (row.prev_hash !== expectedPrev)
          return brokenAt('previous-hash link does not match the row before');
        const { hash, ...rest } = row;
        if (hashAuditRow(rest) !== hash) return brokenAt('row content does not match its hash (altered)');
        expectedPrev = hash;
        expectedSeq++;
        afterSeq = row.seq;
      }
    }
  }
  return { ok: true, checked, brokenAt: null };
}
