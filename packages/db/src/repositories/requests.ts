import type { CaptureSourceKind } from '@agent-otp/shared/stored-values';
import type { UpdateObject } from 'kysely';
import { queriesByShape, reusableQuery } from '../reusable-query.js';
import type { Database } from '../schema.js';
import type { Tx } from '../transaction.js';
import {
  type RequestJsonColumn,
  type RequestRecords,
  type RequestTable,
  type StoredRequestRows,
  toRequestRecord,
  toRequestRow,
} from './request-records.js';

// Both request tables share the lifecycle columns (`id`, `status`, `owner_id`, `agent_id`,
// `expires_at`, `closed_at`). Kysely cannot follow a generic table name, so each statement
// here is built against one table with the shared columns only, and its row typed back to
// the table's own.

/** Who may move or see a request: the scope is part of the WHERE clause, never checked afterwards. */
export type RequestScope = { agentId: string } | { ownerId: string } | { any: true };

/** What a transition sets; JSON columns are written on insert only. */
export type RequestChanges<T extends RequestTable> = Omit<UpdateObject<Database, T>, RequestJsonColumn<T>>;

/**
 * Columns a transition tests besides status, scope and deadline: a value means `=`, `null`
 * means IS NULL, `{ above: n }` means `> n`.
 */
export type RequestColumnTests = Partial<
  Record<
    'encrypted_payload' | 'key_fingerprint' | 'token_handed_out' | 'token_hash' | 'uses_remaining',
    null | string | number | { above: number }
  >
>;

/** One conditional update of a request: which row, from which statuses, and what it becomes. */
export interface RequestUpdate<T extends RequestTable> {
  table: T;
  id: string;
  scope: RequestScope;
  from: readonly string[];
  changes: RequestChanges<T>;
  /**
   * The deadline test in the same WHERE clause: `live` (default) moves only a request whose
   * `expires_at` is still ahead, so a decision can never land on a request the sweeper is
   * about to expire; `overdue` is for the expiry itself; `any` for a change that must happen
   * whatever the deadline.
   */
  deadline?: 'live' | 'overdue' | 'any';
  where?: RequestColumnTests;
  /** OTP requests only: the request takes codes from this kind of capture source (its `sources` list holds it). */
  acceptsSource?: CaptureSourceKind;
  /** The ISO time the deadline is compared with. */
  now: string;
}

/**
 * The one conditional update every request transition goes through (`… WHERE id = ? AND
 * status IN (…) AND scope AND deadline`). Returns the updated record, or undefined when
 * someone else got there first; the caller holds the transaction.
 *
 * Each shape of update (which columns it sets, how many `from` statuses, which tests, which
 * scope) is built and compiled once and then run with each call's values (reusable-query.ts):
 * Kysely building and compiling the statement anew cost more than running it (issue 18).
 *
 * @example
 * const record = await updateRequestRecord(tx, { table: 'otp_requests', id, scope, from: ['approved'], changes, now });
 */
export async function updateRequestRecord<T extends RequestTable>(
  tx: Tx,
  update: RequestUpdate<T>,
): Promise<RequestRecords[T] | undefined> {
  const { shape, values } = updateShapeOf(update);
  const [row] = await updateOfShape(shape)(tx, ...values);
  return row === undefined ? undefined : toRequestRecord(update.table, row as StoredRequestRows[T]);
}

/** What a compiled update depends on; every value it is run with comes from a call. */
interface UpdateShape {
  key: string;
  table: RequestTable;
  /** Each column set, with the expression it is set to, or undefined when set to a call's value. */
  sets: [column: string, expression: unknown][];
  fromCount: number;
  deadline: 'live' | 'overdue' | 'any';
  tests: [column: string, test: 'null' | 'above' | 'equals'][];
  acceptsSource: boolean;
  scope: 'agent' | 'owner' | 'any';
}

/**
 * An expression (a CASE builder, `uses_remaining - 1`) is part of the shape, by identity: the
 * callers keep theirs in module constants, so each is compiled once. A builder made anew per
 * call is a new shape every time, which is correct, only not faster; the cache's bound keeps
 * such shapes from piling up.
 */
const expressionIds = new WeakMap<object, number>();
let expressionsSeen = 0;
function expressionId(expression: object): number {
  let id = expressionIds.get(expression);
  if (id === undefined) {
    id = ++expressionsSeen;
    expressionIds.set(expression, id);
  }
  return id;
}

/** The call's shape and, in the order the compiled statement takes them, its values. */
function updateShapeOf<T extends RequestTable>(
  update: RequestUpdate<T>,
): { shape: UpdateShape; values: unknown[] } {
  const values: unknown[] = [];
  const sets: UpdateShape['sets'] = [];
  let key = `${update.table}|`;
  for (const [column, value] of Object.entries(update.changes)) {
    // Kysely leaves out a column set to undefined; so does the shape.
    if (value === undefined) continue;
    if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
      sets.push([column, value]);
      key += `${column}=#${expressionId(value)},`;
    } else {
      sets.push([column, undefined]);
      values.push(value);
      key += `${column},`;
    }
  }
  values.push(update.id, ...update.from);
  const deadline = update.deadline ?? 'live';
  if (deadline !== 'any') values.push(update.now);
  const tests: UpdateShape['tests'] = [];
  for (const [column, test] of Object.entries(update.where ?? {})) {
    if (test === undefined) continue;
    if (test === null) tests.push([column, 'null']);
    else if (typeof test === 'object') {
      tests.push([column, 'above']);
      values.push(test.above);
    } else {
      tests.push([column, 'equals']);
      values.push(test);
    }
  }
  // The JSON list as written (capture's pre-filter reads it the same way); the kinds hold no LIKE wildcard.
  const acceptsSource = update.acceptsSource !== undefined;
  if (acceptsSource) values.push(`%${JSON.stringify(update.acceptsSource)}%`);
  const scope = 'agentId' in update.scope ? 'agent' : 'ownerId' in update.scope ? 'owner' : 'any';
  if ('agentId' in update.scope) values.push(update.scope.agentId);
  if ('ownerId' in update.scope) values.push(update.scope.ownerId);
  key += `|${update.from.length}|${deadline}|${tests.map(([column, test]) => `${column}:${test}`).join(',')}|${acceptsSource ? 'source' : ''}|${scope}`;
  return {
    shape: {
      key,
      table: update.table,
      sets,
      fromCount: update.from.length,
      deadline,
      tests,
      acceptsSource,
      scope,
    },
    values,
  };
}

/** A statement run with a call's values, whatever its shape. */
type ShapedStatement = (tx: Tx, ...values: unknown[]) => Promise<unknown[]>;

/** Compiled updates by shape; a few dozen in practice, bounded in case a caller makes expressions per call. */
const updatesByShape = queriesByShape<ShapedStatement>();

function updateOfShape(shape: UpdateShape): ShapedStatement {
  return updatesByShape(shape.key, () =>
    reusableQuery((db: Tx, ...values: unknown[]) => buildUpdate(db, shape, values)),
  );
}

/** The update of one shape with `values` (stand-ins when compiled) in the order updateShapeOf lists them. */
function buildUpdate(db: Tx, shape: UpdateShape, values: unknown[]) {
  let next = 0;
  const take = () => values[next++];
  const changes: Record<string, unknown> = {};
  for (const [column, expression] of shape.sets) changes[column] = expression ?? take();
  let query = db
    .updateTable(shape.table as 'otp_requests')
    .set(changes as UpdateObject<Database, 'otp_requests'>)
    .where('id', '=', take() as string)
    .where('status', 'in', Array.from({ length: shape.fromCount }, take) as never[]);
  if (shape.deadline === 'live') query = query.where('expires_at', '>', take() as string);
  if (shape.deadline === 'overdue') query = query.where('expires_at', '<=', take() as string);
  // Columns one table has and the other lacks: referenced by name, checked by RequestColumnTests.
  const { ref } = db.dynamic;
  for (const [column, test] of shape.tests) {
    if (test === 'null') query = query.where(ref(column), 'is', null);
    else query = query.where(ref(column), test === 'above' ? '>' : '=', take() as never);
  }
  if (shape.acceptsSource) query = query.where(ref('sources'), 'like', take() as string);
  if (shape.scope === 'agent') query = query.where('agent_id', '=', take() as string);
  if (shape.scope === 'owner') query = query.where('owner_id', '=', take() as string);
  return query.returningAll();
}

/**
 * Reads one request within a scope; other tenants' requests are simply not found.
 *
 * @example
 * const record = await findRequestRecord(tx, 'otp_requests', id, { ownerId });
 */
export async function findRequestRecord<T extends RequestTable>(
  tx: Tx,
  table: T,
  id: string,
  scope: RequestScope,
): Promise<RequestRecords[T] | undefined> {
  const byId = REQUEST_BY_ID[table];
  const [row] =
    'agentId' in scope
      ? await byId.agent(tx, id, scope.agentId)
      : 'ownerId' in scope
        ? await byId.owner(tx, id, scope.ownerId)
        : await byId.any(tx, id);
  return row && toRequestRecord(table, row as StoredRequestRows[T]);
}

// Every GET of a request, long-poll re-read and refused transition reads one by id: each
// table and scope kind's statement is built and compiled once (reusable-query.ts).
function requestByIdIn(table: RequestTable) {
  const byId = (db: Tx, id: string) =>
    db
      .selectFrom(table as 'otp_requests')
      .selectAll()
      .where('id', '=', id);
  return {
    agent: reusableQuery((db, id: string, agentId: string) => byId(db, id).where('agent_id', '=', agentId)),
    owner: reusableQuery((db, id: string, ownerId: string) => byId(db, id).where('owner_id', '=', ownerId)),
    any: reusableQuery((db, id: string) => byId(db, id)),
  };
}

const REQUEST_BY_ID = {
  otp_requests: requestByIdIn('otp_requests'),
  permission_requests: requestByIdIn('permission_requests'),
};

/**
 * Stores a new request, its JSON columns serialised; the caller holds the transaction.
 *
 * @example
 * await insertRequestRecord(tx, 'permission_requests', record);
 */
export async function insertRequestRecord<T extends RequestTable>(
  tx: Tx,
  table: T,
  record: RequestRecords[T],
): Promise<void> {
  const row = toRequestRow(table, record) as unknown as Record<string, unknown>;
  // Kysely leaves out a column whose value is undefined; so does the statement's shape.
  const columns = Object.keys(row).filter((column) => row[column] !== undefined);
  await insertOfShape(table, columns)(tx, ...columns.map((column) => row[column]));
}

/**
 * Inserts by table and column list, each built and compiled once (reusable-query.ts): every
 * create runs one (issue 18). Records always carry every column, so there are two shapes.
 */
const insertsByShape = queriesByShape<ShapedStatement>();

function insertOfShape(table: RequestTable, columns: string[]): ShapedStatement {
  return insertsByShape(`${table}|${columns.join(',')}`, () =>
    reusableQuery((db: Tx, ...values: unknown[]) =>
      db
        .insertInto(table as 'otp_requests')
        .values(
          Object.fromEntries(
            columns.map((column, index) => [column, values[index]]),
          ) as StoredRequestRows['otp_requests'],
        ),
    ),
  );
}

/**
 * Requests in one of `statuses` whose deadline has passed, soonest-overdue first, at most `limit`.
 *
 * @example
 * const overdue = await listOverdueRequestRecords(db, 'otp_requests', { statuses: ['pending_approval'], now, limit: 200 });
 */
export async function listOverdueRequestRecords<T extends RequestTable>(
  tx: Tx,
  table: T,
  options: { statuses: readonly string[]; now: string; limit: number },
): Promise<RequestRecords[T][]> {
  const rows = await tx
    .selectFrom(table as 'otp_requests')
    .selectAll()
    .where('status', 'in', options.statuses as never[])
    .where('expires_at', '<=', options.now)
    .orderBy('expires_at', 'asc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => toRequestRecord(table, row as StoredRequestRows[T]));
}

/**
 * Moves every request of one agent in one of `from` statuses, in one statement, whatever
 * their deadlines (revoking an agent closes all it has open). Returns the updated records.
 *
 * @example
 * const closed = await updateAgentRequestRecords(tx, 'otp_requests', { agentId, ownerId, from, changes });
 */
export async function updateAgentRequestRecords<T extends RequestTable>(
  tx: Tx,
  table: T,
  options: { agentId: string; ownerId: string; from: readonly string[]; changes: RequestChanges<T> },
): Promise<RequestRecords[T][]> {
  const rows = await tx
    .updateTable(table as 'otp_requests')
    .set(options.changes as UpdateObject<Database, 'otp_requests'>)
    .where('agent_id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', options.from as never[])
    .returningAll()
    .execute();
  return rows.map((row) => toRequestRecord(table, row as StoredRequestRows[T]));
}

/**
 * How many requests of one agent are in one of `statuses` and live at `now`, and the
 * soonest deadline among them (null when there are none).
 *
 * @example
 * const { count, firstExpiry } = await countLiveAgentRequests(tx, 'otp_requests', { agentId, statuses, now });
 */
export async function countLiveAgentRequests(
  tx: Tx,
  table: RequestTable,
  options: { agentId: string; statuses: readonly string[]; now: string },
): Promise<{ count: number; firstExpiry: string | null }> {
  const [live] = await liveCountOf(table, options.statuses.length)(
    tx,
    options.agentId,
    options.now,
    ...options.statuses,
  );
  if (!live) throw new Error('count(*) returned no row');
  // PostgreSQL counts in bigint, which pg hands over as a string.
  return { count: Number(live.count), firstExpiry: live.first === null ? null : String(live.first) };
}

/** The open-request count of every create, by table and number of statuses, each built and compiled once (issue 18). */
const liveCounts = queriesByShape<ReturnType<typeof liveCountQuery>>();

function liveCountQuery(table: RequestTable, statusCount: number) {
  return reusableQuery((db: Tx, agentId: string, now: string, ...statuses: string[]) =>
    db
      .selectFrom(table as 'otp_requests')
      .select((eb) => [
        eb.fn.countAll<number | string | bigint>().as('count'),
        eb.fn.min('expires_at').as('first'),
      ])
      .where('agent_id', '=', agentId)
      .where('status', 'in', statuses.slice(0, statusCount) as never[])
      .where('expires_at', '>', now),
  );
}

function liveCountOf(table: RequestTable, statusCount: number) {
  return liveCounts(`${table}|${statusCount}`, () => liveCountQuery(table, statusCount));
}
