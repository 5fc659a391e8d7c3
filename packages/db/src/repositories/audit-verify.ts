import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditCheckpointsTable, Database } from '../schema.js';
import type { Tx } from '../transaction.js';
import { GENESIS_HASH } from './audit.js';
import { checkpointHolds, manifestChains, manifestHolds, readAuditManifest } from './audit-checkpoints.js';
import { type AuditKey, keyedAuditRowHash, legacyAuditRowHash, sameDigest } from './audit-crypto.js';

/** Where verification failed: a row (seq and id) or, for a missing chain or manifest, a chain or nothing. */
export interface ChainBreak {
  chain: string | null;
  seq: number | null;
  id: string | null;
  reason: string;
}

/** A chain's signed head, as `audit:verify --json` prints it for keeping outside the database. */
export interface AuditHead {
  chain: string;
  length: number;
  headHash: string;
  /** Rows 1..legacyLength predate keying and are verified with the old unkeyed hash. */
  legacyLength: number;
  /** The checkpoint's HMAC signature. */
  signature: string;
}

/** A head recorded earlier (e.g. from `audit:verify --json`) that the chain must still contain. */
export interface ExpectedAuditHead {
  chain: string;
  length: number;
  headHash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: ChainBreak | null;
  heads: AuditHead[];
}

/** Rows checked so far, and who hears after each step. */
interface Progress {
  checked: number;
  onStep?: ((checked: number) => void) | undefined;
}

class Broken extends Error {
  constructor(readonly at: ChainBreak) {
    super(at.reason);
  }
}

/**
 * Rows read and hashed per step. One step costs a few milliseconds; between steps the
 * event loop serves everything else, so a million-row verification never holds up
 * `/healthz` or another request for longer than one step.
 */
const ROWS_PER_STEP = 500;

/** Lets the event loop run I/O and timers that queued during the last step. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The SQLite file behind the handle, or null for an in-memory database. */
async function sqliteFileOf(handle: DatabaseHandle): Promise<string | null> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(handle.db);
  return rows.find((row) => row.name === 'main')?.file || null;
}

/**
 * Reads in one snapshot, so appends committing meanwhile never look like a broken checkpoint.
 * On a SQLite file the walk gets its own read-only connection: the relay's one connection
 * stays free for every other request while a long verification runs (WAL lets a reader hold
 * its snapshot while writers commit). Only an in-memory database shares its one connection.
 */
async function withReadSnapshot<T>(handle: DatabaseHandle, fn: (db: Tx) => Promise<T>): Promise<T> {
  if (handle.dialect === 'postgres')
    return handle.db.transaction().setIsolationLevel('repeatable read').execute(fn);
  const file = await sqliteFileOf(handle);
  if (!file) return handle.db.connection().execute((connection) => inDeferredTransaction(connection, fn));
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reader }) });
  try {
    return await db.connection().execute((connection) => inDeferredTransaction(connection, fn));
  } finally {
    await db.destroy();
  }
}

/** A deferred transaction on a WAL database reads one snapshot and blocks no writer. */
async function inDeferredTransaction<T>(connection: Tx, fn: (db: Tx) => Promise<T>): Promise<T> {
  await sql`begin`.execute(connection);
  try {
    return await fn(connection);
  } finally {
    await sql`rollback`.execute(connection);
  }
}

/** Walks one chain's rows from the first; returns how many there were and the last hash. */
async function walkChain(
  db: Tx,
  key: AuditKey,
  chain: string,
  legacyLength: number,
  count: Progress,
): Promise<{ length: number; head: string }> {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const page = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', chain)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq', 'asc')
      .limit(ROWS_PER_STEP)
      .execute();
    if (page.length === 0) return { length: expectedSeq - 1, head: expectedPrev };
    for (const row of page) {
      count.checked++;
      const broken = (reason: string) => new Broken({ chain, seq: row.seq, id: row.id, reason });
      if (row.seq !== expectedSeq) throw broken(`sequence jumps from ${expectedSeq - 1} to ${row.seq}`);
      if (row.prev_hash !== expectedPrev) throw broken('previous-hash link does not match the row before');
      const { hash, ...rest } = row;
      const computed = row.seq <= legacyLength ? legacyAuditRowHash(rest) : keyedAuditRowHash(key, rest);
      if (!sameDigest(computed, hash)) throw broken('row content does not match its hash (altered)');
      expectedPrev = hash;
      expectedSeq++;
    }
    count.onStep?.(count.checked);
    await yieldToEventLoop();
  }
}

/** Checks one chain against its signed checkpoint; returns its head, or null for a chain with no events. */
async function verifyChain(
  db: Tx,
  key: AuditKey,
  chain: string,
  listed: boolean,
  count: Progress,
): Promise<AuditHead | null> {
  const fail = (reason: string, seq: number | null = null, id: string | null = null) =>
    new Broken({ chain, seq, id, reason });
  const checkpoint: AuditCheckpointsTable | undefined = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('chain', '=', chain)
    .executeTakeFirst();
  if (!listed) {
    const any = await db
      .selectFrom('audit_events')
      .select('id')
      .where('chain', '=', chain)
      .limit(1)
      .executeTakeFirst();
    if (!any && !checkpoint) return null;
    throw fail(`chain ${chain} is not in the signed manifest (written outside the relay?)`);
  }
  if (!checkpoint)
    throw fail(`the signed manifest lists it but its checkpoint is missing (the chain was deleted?)`);
  if (!checkpointHolds(key, checkpoint)) throw fail('the checkpoint’s signature does not hold (altered)');
  const walked = await walkChain(db, key, chain, checkpoint.legacy_length, count);
  if (walked.length < checkpoint.length)
    throw fail(
      `chain truncated: the signed checkpoint records ${checkpoint.length} events, ${walked.length} remain`,
      walked.length + 1,
    );
  if (walked.length > checkpoint.length) {
    const after = await db
      .selectFrom('audit_events')
      .select('id')
      .where('chain', '=', chain)
      .where('seq', '=', checkpoint.length + 1)
      .executeTakeFirst();
    throw fail(
      `${walked.length - checkpoint.length} events after the signed checkpoint at #${checkpoint.length} (the checkpoint was rolled back)`,
      checkpoint.length + 1,
      after?.id ?? null,
    );
  }
  if (walked.head !== checkpoint.head_hash)
    throw fail('the head does not match the signed checkpoint', walked.length);
  return {
    chain,
    length: checkpoint.length,
    headHash: checkpoint.head_hash,
    legacyLength: checkpoint.legacy_length,
    signature: checkpoint.signature,
  };
}

async function checkExpectedHead(db: Tx, expected: ExpectedAuditHead): Promise<void> {
  const row = await db
    .selectFrom('audit_events')
    .select(['id', 'hash'])
    .where('chain', '=', expected.chain)
    .where('seq', '=', expected.length)
    .executeTakeFirst();
  if (row?.hash === expected.headHash) return;
  throw new Broken({
    chain: expected.chain,
    seq: expected.length,
    id: row?.id ?? null,
    reason: `the chain does not contain the expected head #${expected.length} ${expected.headHash.slice(0, 12)}… (rolled back or rewritten)`,
  });
}

async function verifyInSnapshot(
  db: Tx,
  key: AuditKey,
  options: { chain?: string | undefined; expectHeads?: readonly ExpectedAuditHead[] | undefined },
  count: Progress,
): Promise<AuditHead[]> {
  const manifest = await readAuditManifest(db);
  const anyEvent = () => db.selectFrom('audit_events').select('id').limit(1).executeTakeFirst();
  if (!manifest)
    throw new Broken({
      chain: null,
      seq: null,
      id: null,
      reason: 'the signed audit manifest is missing (deleted)',
    });
  if (manifest.signature === null) {
    if (!(await anyEvent())) return [];
    throw new Broken({
      chain: null,
      seq: null,
      id: null,
      reason: 'the audit log has events but was never sealed with a key',
    });
  }
  if (manifest.key_id !== key.id)
    throw new Broken({
      chain: null,
      seq: null,
      id: null,
      reason: `the audit key (id ${key.id}) is not the key the log was sealed with (id ${manifest.key_id})`,
    });
  if (!manifestHolds(key, manifest))
    throw new Broken({
      chain: null,
      seq: null,
      id: null,
      reason: 'the signed audit manifest does not hold (altered)',
    });
  const listed = manifestChains(manifest) ?? [];
  let chains: string[];
  if (options.chain) chains = [options.chain];
  else {
    const stored = await db.selectFrom('audit_events').select('chain').distinct().execute();
    const checkpointed = await db.selectFrom('audit_checkpoints').select('chain').execute();
    chains = [
      ...new Set([...listed, ...stored.map((r) => r.chain), ...checkpointed.map((r) => r.chain)]),
    ].sort();
  }
  const heads: AuditHead[] = [];
  for (const chain of chains) {
    const head = await verifyChain(db, key, chain, listed.includes(chain), count);
    if (head) heads.push(head);
  }
  for (const expected of options.expectHeads ?? []) await checkExpectedHead(db, expected);
  return heads;
}

/**
 * Verifies the audit log (every chain, or one) with the audit key: the signed manifest
 * lists every chain, each chain's checkpoint is signed and matches its length and head,
 * and every row's sequence, link and keyed hash hold (rows before keying: the old hash).
 * `expectHeads` are heads recorded earlier outside the database, which catch a rollback of
 * the whole database to an older consistent state. Reports the first thing that fails.
 *
 * @example
 * const { ok, checked, brokenAt, heads } = await verifyAuditChains(handle, key);
 */
export async function verifyAuditChains(
  handle: DatabaseHandle,
  key: AuditKey,
  options: {
    chain?: string | undefined;
    expectHeads?: readonly ExpectedAuditHead[] | undefined;
    /** Told the running count of checked rows after each step (progress output, tests). */
    onStep?: ((checked: number) => void) | undefined;
  } = {},
): Promise<AuditVerifyResult> {
  const count: Progress = { checked: 0, onStep: options.onStep };
  try {
    const heads = await withReadSnapshot(handle, (db) => verifyInSnapshot(db, key, options, count));
    return { ok: true, checked: count.checked, brokenAt: null, heads };
  } catch (error) {
    if (error instanceof Broken) return { ok: false, checked: count.checked, brokenAt: error.at, heads: [] };
    throw error;
  }
}
