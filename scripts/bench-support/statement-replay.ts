/**
 * The bare-driver baselines: the statements one relay lifecycle sent (captured in process by
 * the statement counter) replayed in a loop over better-sqlite3 or pg, with no HTTP, no
 * Kysely, no validation. Each replayed lifecycle gets fresh row ids, and its audit appends
 * stay hash-chained: the tail select's answer feeds the insert's seq and prev_hash, the
 * hash and the checkpoint signature are computed per append, as the relay does.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { RecordedStatement } from '../../test-support/statement-counter.js';
import { round } from './load-helpers.js';
import { cpuDelta, cpuOf, ownCpuMs } from './proc-stats.js';

type Role = 'plain' | 'auditTail' | 'auditInsert' | 'checkpointUpdate';

interface Step {
  sql: string;
  parameters: readonly unknown[];
  role: Role;
  /** Parameter index by column name (audit insert and checkpoint update only). */
  columns: Map<string, number>;
}

const PREFIXED_ID = /^[a-z]+_[0-9A-Z]{26}$/;

function columnsOf(sql: string, role: Role): Map<string, number> {
  const columns = new Map<string, number>();
  if (role === 'auditInsert') {
    const list = /^insert into "audit_events" \(([^)]+)\)/.exec(sql)?.[1] ?? '';
    for (const [index, name] of list.split(',').entries())
      columns.set(name.trim().replaceAll('"', ''), index);
  } else if (role === 'checkpointUpdate') {
    for (const [index, match] of [...sql.matchAll(/"(\w+)" = (?:\?|\$\d+)/g)].entries())
      columns.set(match[1]!, index);
  }
  return columns;
}

function roleOf(sql: string): Role {
  if (/^select "seq", "hash" from "audit_events"/.test(sql)) return 'auditTail';
  if (sql.startsWith('insert into "audit_events"')) return 'auditInsert';
  if (sql.startsWith('update "audit_checkpoints"')) return 'checkpointUpdate';
  return 'plain';
}

/** A lifecycle's statements, ready to replay with fresh ids each time. */
export class LifecycleReplay {
  readonly steps: Step[];
  /** Ids of rows the lifecycle created (the first value of each insert), renamed per replay. */
  readonly freshIds: Set<string>;
  #iteration = 0;
  readonly #runTag = randomBytes(3).toString('hex').toUpperCase();
  readonly #signingKey = randomBytes(32);

  constructor(statements: readonly RecordedStatement[]) {
    this.steps = statements.map((statement) => {
      const role = roleOf(statement.sql);
      return {
        sql: statement.sql,
        parameters: statement.parameters,
        role,
        columns: columnsOf(statement.sql, role),
      };
    });
    this.freshIds = new Set(
      this.steps
        .filter((step) => step.sql.startsWith('insert into'))
        .map((step) => step.parameters[0])
        .filter((value): value is string => typeof value === 'string' && PREFIXED_ID.test(value)),
    );
  }

  /** Parameters for the next replayed lifecycle: fresh ids, everything else as captured. */
  nextRenamer(): (parameters: readonly unknown[]) => unknown[] {
    const iteration = (this.#iteration++).toString(36).toUpperCase();
    const renamed = new Map<string, string>();
    for (const [index, value] of [...this.freshIds].entries()) {
      const prefix = value.slice(0, value.indexOf('_'));
      renamed.set(value, `${prefix}_${`${this.#runTag}X${index}X${iteration}`.padStart(26, '0')}`);
    }
    return (parameters) =>
      parameters.map((value) => (typeof value === 'string' ? (renamed.get(value) ?? value) : value));
  }

  /** Fills the chained columns of an audit append from the tail the replay just read. */
  chainAudit(
    step: Step,
    parameters: unknown[],
    tail: { seq: number; hash: string },
  ): { seq: number; hash: string } {
    const seq = tail.seq + 1;
    parameters[step.columns.get('seq')!] = seq;
    parameters[step.columns.get('prev_hash')!] = tail.hash;
    const hash = createHash('sha256').update(tail.hash).update(JSON.stringify(parameters)).digest('hex');
    parameters[step.columns.get('hash')!] = hash;
    return { seq, hash };
  }

  /** Fills the checkpoint update from the append before it. */
  signCheckpoint(step: Step, parameters: unknown[], head: { seq: number; hash: string }): void {
    parameters[step.columns.get('length')!] = head.seq;
    parameters[step.columns.get('head_hash')!] = head.hash;
    parameters[step.columns.get('signature')!] = createHmac('sha256', this.#signingKey)
      .update(`${head.seq}:${head.hash}`)
      .digest('hex');
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
  const runOne = () => {
    const rename = replay.nextRenamer();
    let tail = { seq: 0, hash: '' };
    for (const step of replay.steps) {
      const parameters = rename(step.parameters);
      if (step.role === 'auditInsert') tail = replay.chainAudit(step, parameters, tail);
      if (step.role === 'checkpointUpdate') replay.signCheckpoint(step, parameters, tail);
      const statement = statementFor(step.sql);
      if (statement.reader) {
        const rows = statement.all(...parameters) as { seq: number; hash: string }[];
        if (step.role === 'auditTail' && rows[0]) tail = rows[0];
      } else statement.run(...parameters);
    }
  };
  runOne(); // prepares every statement once, outside the timing
  let lifecycles = 0;
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    runOne();
    lifecycles++;
  }
  return {
    lifecycles,
    perSecond: Math.round(lifecycles / ((performance.now() - started) / 1000)),
    clientCpuMsPerLifecycle: round((ownCpuMs() - cpuBefore) / Math.max(1, lifecycles)),
    statementsPerLifecycle: replay.steps.length,
    concurrency: 1,
  };
}

/** Replays lifecycles over `clients` (one sequential loop each) for `seconds`. */
export async function replayOnPostgres(
  clients: pg.Client[],
  replay: LifecycleReplay,
  seconds: number,
): Promise<ReplayResult> {
  const runOne = async (client: pg.Client) => {
    const rename = replay.nextRenamer();
    let tail = { seq: 0, hash: '' };
    for (const step of replay.steps) {
      const parameters = rename(step.parameters);
      if (step.role === 'auditInsert') tail = replay.chainAudit(step, parameters, tail);
      if (step.role === 'checkpointUpdate') replay.signCheckpoint(step, parameters, tail);
      const result = await client.query(step.sql, parameters);
      if (step.role === 'auditTail' && result.rows[0])
        tail = { seq: Number(result.rows[0].seq), hash: String(result.rows[0].hash) };
    }
  };
  await runOne(clients[0]!);
  const backends: number[] = [];
  for (const client of clients)
    backends.push((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
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
    statementsPerLifecycle: replay.steps.length,
    concurrency: clients.length,
  };
}
