import type { OtpStatus, PermissionStatus } from '@agent-otp/shared';
import { sql } from 'kysely';
import type { Tx } from '../transaction.js';
import type { SqlDialect } from '../types.js';
import type { RequestTable } from './request-records.js';

/** One owner's requests created in `[from, until)`, optionally of one agent. */
export interface ActivityRange {
  ownerId: string;
  from: string;
  until: string;
  agentId?: string | undefined;
}

/** How many requests of one agent reached one status, per UTC day of creation. */
export interface ActivityCountRow {
  agentId: string;
  status: OtpStatus | PermissionStatus;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  count: number;
}

/** The timestamps a decided request's durations are measured from. */
export interface DecisionTimesRow {
  created_at: string;
  decided_at: string;
  decision: 'approved' | 'denied' | null;
  decision_channel: string | null;
  /** OTP requests only; null for permissions and for OTP requests without a code yet. */
  otp_received_at: string | null;
}

function inRange(tx: Tx, table: RequestTable, range: ActivityRange) {
  // Kysely cannot follow a generic table name: built against one table, shared columns only.
  // owner_id, then created_at as a range: the (owner_id, created_at, agent_id, status) index.
  let query = tx
    .selectFrom(table as 'otp_requests')
    .where('owner_id', '=', range.ownerId)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.until);
  if (range.agentId !== undefined) query = query.where('agent_id', '=', range.agentId);
  return query;
}

/**
 * Index entries one SQLite count walks before the event loop gets a turn: a few milliseconds.
 * Counting 100,000 requests in one statement held the loop 100–250 ms on a loaded 2-CPU
 * machine (issue 18: no request waits more than 100 ms behind another).
 */
export const ACTIVITY_COUNT_CHUNK = 5_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The counts of one stretch of the range, grouped in the database. */
async function countChunk(
  tx: Tx,
  dialect: SqlDialect,
  table: RequestTable,
  range: ActivityRange,
  exactlyAt?: string,
): Promise<ActivityCountRow[]> {
  // SQLite keeps ISO 8601 UTC text; PostgreSQL a timestamptz, formatted in UTC whatever the
  // session's time zone.
  const day =
    dialect === 'postgres'
      ? sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`substr(created_at, 1, 10)`;
  let query = inRange(tx, table, range);
  if (exactlyAt !== undefined) query = query.where('created_at', '=', exactlyAt);
  const rows = await query
    .select(['agent_id', 'status', day.as('day'), (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy(['agent_id', 'status', day])
    .execute();
  return rows.map((row) => ({
    agentId: row.agent_id,
    status: row.status,
    day: row.day,
    // PostgreSQL's count is a bigint, handed back as text.
    count: Number(row.count),
  }));
}

/**
 * Requests created in the range counted by agent, status and UTC day, in the database: the
 * counts stay exact however many requests the range holds (read from the covering index
 * alone, see migration 0019). PostgreSQL counts in one statement, off this process's event
 * loop. SQLite runs on it, so the range is counted in stretches of at most `chunkRows`
 * ({@link ACTIVITY_COUNT_CHUNK}) index entries, each ending where the index says that many
 * rows further on, with a turn for other requests before each.
 *
 * @example
 * const rows = await countRequestActivity(db, 'sqlite', 'otp_requests', { ownerId, from, until });
 */
export async function countRequestActivity(
  tx: Tx,
  dialect: SqlDialect,
  table: RequestTable,
  range: ActivityRange,
  { chunkRows = ACTIVITY_COUNT_CHUNK }: { chunkRows?: number } = {},
): Promise<ActivityCountRow[]> {
  if (dialect === 'postgres') return countChunk(tx, dialect, table, range);
  const totals = new Map<string, ActivityCountRow>();
  const add = (rows: readonly ActivityCountRow[]) => {
    for (const row of rows) {
      const key = `${row.agentId} ${row.status} ${row.day}`;
      const total = totals.get(key);
      if (total) total.count += row.count;
      else totals.set(key, { ...row });
    }
  };
  for (let from = range.from; from < range.until; ) {
    await yieldToEventLoop();
    const stretch = { ...range, from };
    // Where the stretch ends: the creation time `chunkRows` entries on, if the range goes that far.
    const next = await inRange(tx, table, stretch)
      .select('created_at')
      .orderBy('created_at')
      .limit(1)
      .offset(chunkRows)
      .executeTakeFirst();
    const until = next?.created_at ?? range.until;
    if (until > from) {
      add(await countChunk(tx, dialect, table, { ...stretch, until }));
      from = until;
      continue;
    }
    // More than a stretch of requests created in the same millisecond: that instant alone,
    // then what follows it.
    add(await countChunk(tx, dialect, table, stretch, from));
    const after = await inRange(tx, table, stretch)
      .where('created_at', '>', from)
      .select('created_at')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    from = after?.created_at ?? range.until;
  }
  return [...totals.values()];
}

/**
 * The decided requests of the range, newest first, at most `limit` of them: only the
 * timestamps their durations are measured from.
 *
 * @example
 * const rows = await listDecisionTimes(db, 'otp_requests', { ownerId, from, until }, 5_000);
 */
export async function listDecisionTimes(
  tx: Tx,
  table: RequestTable,
  range: ActivityRange,
  limit: number,
): Promise<DecisionTimesRow[]> {
  const receivedAt =
    table === 'otp_requests' ? sql<string | null>`otp_received_at` : sql<string | null>`null`;
  const rows = await inRange(tx, table, range)
    .where('decided_at', 'is not', null)
    .select(['created_at', 'decided_at', 'decision', 'decision_channel', receivedAt.as('otp_received_at')])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, decided_at: row.decided_at as string }));
}

/**
 * The names of some of an owner's agents (revoked ones too: their requests stay in the charts).
 *
 * @example
 * const names = await agentNamesOf(db, ownerId, ['agt_01J…']);
 */
export async function agentNamesOf(
  tx: Tx,
  ownerId: string,
  agentIds: readonly string[],
): Promise<{ id: string; name: string }[]> {
  if (agentIds.length === 0) return [];
  return tx
    .selectFrom('agents')
    .select(['id', 'name'])
    .where('owner_id', '=', ownerId)
    .where('id', 'in', [...agentIds])
    .orderBy('name')
    .execute();
}
