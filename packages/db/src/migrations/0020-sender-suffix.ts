import type { Kysely } from 'kysely';
import { senderSuffixOf } from '../repositories/sender-suffix.js';
import type { SqlDialect } from '../types.js';

/** Rows read per page while filling the column. */
const PAGE = 500;

interface PatternRow {
  id: string;
  sender_pattern: string | null;
}

/**
 * Capture's SQL pre-filter by sender (issue 18): `otp_requests.sender_suffix` holds the literal
 * end of each request's sender glob (repositories/sender-suffix.ts), and
 * `(owner_id, status, sender_suffix)` lets a message list only its owner's open requests
 * whose end is an end of its sender, instead of every open request. The column defaults to
 * `''`, "a candidate for every sender", which is also what a row written by an older release
 * gets; existing rows with a sender pattern are filled here, page by page in ID order.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .alterTable('otp_requests')
    .addColumn('sender_suffix', 'text', (column) => column.notNull().defaultTo(''))
    .execute();
  const requests = db as unknown as Kysely<{ otp_requests: PatternRow & { sender_suffix: string } }>;
  for (let after = ''; ; ) {
    const rows = await requests
      .selectFrom('otp_requests')
      .select(['id', 'sender_pattern'])
      .where('id', '>', after)
      .where('sender_pattern', 'is not', null)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    const last = rows.at(-1);
    if (!last) break;
    // One UPDATE per distinct end within the page: most requests of an install share a few senders.
    const idsBySuffix = new Map<string, string[]>();
    for (const row of rows) {
      const suffix = senderSuffixOf(row.sender_pattern);
      if (suffix !== '') idsBySuffix.set(suffix, [...(idsBySuffix.get(suffix) ?? []), row.id]);
    }
    for (const [suffix, ids] of idsBySuffix)
      await requests
        .updateTable('otp_requests')
        .set({ sender_suffix: suffix })
        .where('id', 'in', ids)
        .execute();
    after = last.id;
  }
  await db.schema
    .createIndex('otp_requests_owner_status_sender_idx')
    .on('otp_requests')
    .columns(['owner_id', 'status', 'sender_suffix'])
    .execute();
}
