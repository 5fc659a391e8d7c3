/**
 * The bare-driver baselines: the statements one relay lifecycle sent (captured in process by
 * the statement counter) replayed in a loop over better-sqlite3 or pg, with no HTTP, no
 * Kysely, no validation.
 *
 * Replaying the captured values as they are would collide with the captured rows and, for
 * the hash-chained audit log, write nothing (its appends check the head they build on). So
 * each replay renames the rows the lifecycle created and moves the audit chain on: every
 * captured chain value (seq, row hash, checkpoint signature) is mapped to the replay's own,
 * the row hash and signature computed per append (HMAC-SHA-256) as the relay does. Values are
 * mapped, not positions, so the same code replays the read-first append and the one that
 * builds on a remembered head, on both dialects.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { RecordedStatement } from '../../test-support/statement-counter.js';
import { round } from './load-helpers.js';
import { cpuDelta, cpuOf, ownCpuMs } from './proc-stats.js';

/** One audit row the captured lifecycle appended, as stored. */
export interface CapturedAuditRow {
  seq: number;
  prev_hash: string;
  hash: string;
}

/** The chain's head a replay builds on: the last row and the checkpoint signature vouching for it. */
export interface ChainHead {
  seq: number;
  hash: string;
  signature: string;
}

const PREFIXED_ULID = /^[a-z]+_([0-9A-HJKMNP-TV-Z]{10})[0-9A-HJKMNP-TV-Z]{16}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEX_64 = /^[0-9a-f]{64}$/;

/** The smallest id with `prefix` minted at or after `ms` (ULIDs sort by time). */
export function firstIdSince(prefix: string, ms: number): string {
  let time = '';
  for (let rest = ms, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  return `${prefix}_${time}${'0'.repeat(16)}`;
}

/** The creation time (ms) a ULID carries in its first ten characters. */
function ulidTime(timePart: string): number {
  let time = 0;
  for (const char of timePart) time = time * 32 + CROCKFORD.indexOf(char);
  return time;
}

/** Statements of an audit append: the chain's lock, its reads and writes. */
const isAuditStatement = (sql: string) => /audit_events|audit_checkpoints|pg_advisory_xact_lock/.test(sql);

/** A lifecycle's statements, ready to replay with fresh ids and a moving audit chain. */
export class LifecycleReplay {
  readonly statements: readonly RecordedStatement[];
  /** Ids minted during the captured lifecycle (rows it created), renamed per replay. */
  readonly freshIds: string[];
  /** Captured chain hashes: index 0 the head before the lifecycle, k the k-th appended row's. */
  readonly #hashes: string[];
  readonly #seqs: number[];
  /** Captured signature → index of the head it signs. */
  readonly #signatureOf = new Map<string, number>();
  /** Per statement: the appended row it belongs to (k ≥ 1), or 0 when it is no audit statement. */
  readonly #appendOf: number[];
  /** The chain's head in the database: what the next append builds on. */
  head: ChainHead;
  #iteration = 0;
  readonly #runTag = randomBytes(3).toString('hex').toUpperCase();
  readonly #key = randomBytes(32);

  /**
   * @param statements the lifecycle, in order
   * @param since when the lifecycle started (ms): ids minted from then on are its own rows
   * @param rows the audit rows it appended, in seq order, read back from the database
   * @param head the chain's head in the database now (the last captured row and its checkpoint signature)
   */
  constructor(
    statements: readonly RecordedStatement[],
    since: number,
    rows: CapturedAuditRow[],
    head: ChainHead,
  ) {
    this.statements = statements;
    this.head = head;
    this.#hashes = [rows[0]?.prev_hash ?? '', ...rows.map((row) => row.hash)];
    this.#seqs = [(rows[0]?.seq ?? 1) - 1, ...rows.map((row) => row.seq)];
    const ids = new Set<string>();
    for (const statement of statements)
      for (const value of statement.parameters) {
        const time = typeof value === 'string' ? PREFIXED_ULID.exec(value)?.[1] : undefined;
        if (time && ulidTime(time) >= since) ids.add(value as string);
      }
    this.freshIds = [...ids];
    // A signature sits right after the head hash it signs (checkpoint update and its guard);
    // an audit statement belongs to the highest row whose hash it names.
    let current = 0;
    this.#appendOf = statements.map((statement) => {
      if (statement.sql === 'commit' || statement.sql === 'rollback') {
        const k = current;
        current = 0;
        return k;
      }
      if (!isAuditStatement(statement.sql)) return current;
      let lastHash = -1;
      for (const value of statement.parameters) {
        if (typeof value !== 'string' || !HEX_64.test(value)) continue;
        const index = this.#hashes.indexOf(value);
        if (index >= 0) {
          lastHash = index;
          current = Math.max(current, index);
        } else if (lastHash >= 0 && !this.#signatureOf.has(value)) this.#signatureOf.set(value, lastHash);
      }
      return current;
    });
    // The lock and reads of an append's transaction, before its first hash, belong to it too.
    for (let i = statements.length - 1, k = 0; i >= 0; i--) {
      if (statements[i]!.sql === 'commit') k = this.#appendOf[i]!;
      else if (statements[i]!.sql.startsWith('begin')) k = 0;
      if (k > 0 && this.#appendOf[i] === 0 && isAuditStatement(statements[i]!.sql)) this.#appendOf[i] = k;
    }
  }

  /** Whether statement `index` belongs to an audit append's transaction. */
  appendOf(index: number): number {
    return this.#appendOf[index] ?? 0;
  }

  /**
   * Parameters for the next replayed lifecycle, statement by statement. An append's statements
   * build on `head` as it is when they run, and its commit moves `head` on, so callers that
   * replay concurrently must hold an append's statements under one lock, as the relay does.
   */
  nextLifecycle(): (index: number) => unknown[] {
    const iteration = (this.#iteration++).toString(36).toUpperCase();
    const renamed = new Map<string, string>();
    for (const [index, value] of this.freshIds.entries()) {
      const prefix = value.slice(0, value.indexOf('_'));
      renamed.set(value, `${prefix}_${`${this.#runTag}X${index}X${iteration}`.padStart(26, '0')}`);
    }
    let appended: { k: number; base: ChainHead; hash?: string; signature?: string } | undefined;
    return (index) => {
      const statement = this.statements[index]!;
      const k = this.appendOf(index);
      if (k > 0 && appended?.k !== k) appended = { k, base: this.head };
      const parameters = statement.parameters.map((value) => {
        if (typeof value === 'string') {
          const fresh = renamed.get(value);
          if (fresh) return fresh;
          if (appended && HEX_64.test(value)) return this.#mapHash(value, appended, statement.parameters);
          return value;
        }
        // Audit sequence numbers; `limit 1` stays, the chain is longer than that by now.
        if (appended && typeof value === 'number' && value > 1) {
          if (value === this.#seqs[appended.k - 1]) return appended.base.seq;
          if (value === this.#seqs[appended.k]) return appended.base.seq + 1;
        }
        return value;
      });
      if (appended && statement.sql === 'commit') {
        this.head = {
          seq: appended.base.seq + 1,
          hash: appended.hash ?? appended.base.hash,
          signature: appended.signature ?? appended.base.signature,
        };
        appended = undefined;
      }
      return parameters;
    };
  }

  #mapHash(
    value: string,
    appended: { k: number; base: ChainHead; hash?: string; signature?: string },
    parameters: readonly unknown[],
  ): string {
    const newHash = () => {
      appended.hash ??= createHmac('sha256', this.#key)
        .update(appended.base.hash)
        .update(JSON.stringify(parameters))
        .digest('hex');
      return appended.hash;
    };
    const hashIndex = this.#hashes.indexOf(value);
    if (hashIndex === appended.k - 1) return appended.base.hash;
    if (hashIndex === appended.k) return newHash();
    const signed = this.#signatureOf.get(value);
    if (signed === appended.k - 1) return appended.base.signature;
    if (signed === appended.k) {
      appended.signature ??= createHmac('sha256', this.#key)
        .update(`${appended.base.seq + 1}:${newHash()}`)
        .digest('hex');
      return appended.signature;
    }
    return value;
  }
}

export interface ReplayResult {
  lifecycles: number;
  perSecond: number;
  /** CPU of this process (driver, hashing) per replayed lifecycle, in ms. */
  clientCpuMsPerLifecycle: number;
  /** PostgreSQL backends' CPU per replayed lifecycle, in ms; absent on SQLite. */
  databaseCpuMsPerLifecycle?: number;
  statementsPerLifecycle: number;
  /** Audit rows the replay appended, checked against what it meant to: a replay that wrote nothing would flatter the baseline. */
  auditRowsAppended: number;
  concurrency: number;
}

/** Replays lifecycles over one better-sqlite3 connection for `seconds` (prepared statements reused). */
export function replayOnSqlite(
  sqlite: SQLite.Database,
  replay: LifecycleReplay,
  seconds: number,
): ReplayResult {
  const prepared = new Map<string, SQLite.Statement>();
  const statementFor = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
  const auditRows = () => (sqlite.prepare('select count(*) as n from audit_events').get() as { n: number }).n;
  const runOne = () => {
    const next = replay.nextLifecycle();
    for (const [index, recorded] of replay.statements.entries()) {
      const parameters = next(index);
      const statement = statementFor(recorded.sql);
      if (statement.reader) statement.all(...parameters);
      else statement.run(...parameters);
    }
  };
  runOne(); // prepares every statement once, outside the timing
  const rowsBefore = auditRows();
  let lifecycles = 0;
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    runOne();
    lifecycles++;
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    lifecycles,
    perSecond: Math.round(lifecycles / elapsed),
    clientCpuMsPerLifecycle: round((ownCpuMs() - cpuBefore) / Math.max(1, lifecycles)),
    statementsPerLifecycle: replay.statements.length,
    auditRowsAppended: auditRows() - rowsBefore,
    concurrency: 1,
  };
}

/**
 * Replays lifecycles over `clients` (one loop each) for `seconds`. An audit append's
 * statements, from the chain's lock to the commit, run under a lock in this process, as the
 * relay's appends serialise on the chain's advisory lock.
 */
export async function replayOnPostgres(
  clients: pg.Client[],
  replay: LifecycleReplay,
  seconds: number,
): Promise<ReplayResult> {
  let chainFree: Promise<void> = Promise.resolve();
  const runOne = async (client: pg.Client) => {
    const next = replay.nextLifecycle();
    let release: (() => void) | undefined;
    try {
      for (const [index, recorded] of replay.statements.entries()) {
        if (!release && replay.appendOf(index) > 0) {
          const previous = chainFree;
          chainFree = new Promise((resolve) => {
            release = resolve;
          });
          await previous;
        }
        await client.query(recorded.sql, next(index));
        if (release && recorded.sql === 'commit') {
          release();
          release = undefined;
        }
      }
    } finally {
      release?.();
    }
  };
  const auditRows = async () =>
    Number((await clients[0]!.query('select count(*) as n from audit_events')).rows[0].n);
  await runOne(clients[0]!);
  const backends: number[] = [];
  for (const client of clients)
    backends.push((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
  const rowsBefore = await auditRows();
  let lifecycles = 0;
  const databaseBefore = cpuOf(backends);
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        await runOne(client);
        lifecycles++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const per = (ms: number) => round(ms / Math.max(1, lifecycles));
  return {
    lifecycles,
    perSecond: Math.round(lifecycles / elapsed),
    clientCpuMsPerLifecycle: per(ownCpuMs() - cpuBefore),
    databaseCpuMsPerLifecycle: per(cpuDelta(databaseBefore, cpuOf(backends))),
    statementsPerLifecycle: replay.statements.length,
    auditRowsAppended: (await auditRows()) - rowsBefore,
    concurrency: clients.length,
  };
}
