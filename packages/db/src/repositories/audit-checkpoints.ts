import { sql } from 'kysely';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditCheckpointsTable, AuditManifestTable } from '../schema.js';
import { type Tx, withTransaction } from '../transaction.js';
import { type AuditKey, sameDigest, signAuditCheckpoint, signAuditManifest } from './audit-crypto.js';

/** What opening the audit log with a key found. */
export type AuditSealOutcome =
  /** Already sealed with this key. */
  | { status: 'sealed' }
  /** Sealed just now; `events` rows in `chains` chains predate the key and stay on the old scheme. */
  | { status: 'adopted'; chains: number; events: number }
  /** Sealed with another key: this process must not write to it. */
  | { status: 'other-key'; keyId: string }
  /** The manifest row is gone (only deletion removes it); verification reports it. */
  | { status: 'missing' };

/** Serialises changes to the manifest (new chains, sealing) across PostgreSQL instances. */
export async function lockAuditManifest(tx: Tx, dialect: DatabaseHandle['dialect']): Promise<void> {
  // SQLite needs nothing: every write transaction starts IMMEDIATE and holds the write lock.
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('audit-manifest'))`.execute(tx);
}

export function readAuditManifest(db: Tx): Promise<AuditManifestTable | undefined> {
  return db.selectFrom('audit_manifest').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** The chains a manifest lists, or null when its JSON is not a list of names. */
export function manifestChains(manifest: AuditManifestTable): string[] | null {
  if (manifest.chains === null) return null;
  try {
    const parsed: unknown = JSON.parse(manifest.chains);
    return Array.isArray(parsed) && parsed.every((c) => typeof c === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** True when the manifest was sealed with this key and its signature holds. */
export function manifestHolds(key: AuditKey, manifest: AuditManifestTable): boolean {
  const chains = manifestChains(manifest);
  return (
    chains !== null &&
    manifest.key_id === key.id &&
    manifest.signature !== null &&
    sameDigest(signAuditManifest(key, chains), manifest.signature)
  );
}

/** True when the checkpoint's signature holds under this key. */
export function checkpointHolds(key: AuditKey, checkpoint: AuditCheckpointsTable): boolean {
  return sameDigest(signAuditCheckpoint(key, checkpoint), checkpoint.signature);
}

async function writeManifest(tx: Tx, key: AuditKey, chains: string[]): Promise<void> {
  const sorted = [...chains].sort();
  await tx
    .updateTable('audit_manifest')
    .set({
      key_id: key.id,
      chains: JSON.stringify(sorted),
      updated_at: new Date().toISOString(),
      signature: signAuditManifest(key, sorted),
    })
    .where('id', '=', 1)
    .execute();
}

/**
 * Seals the audit log with `key` inside the caller's transaction if nobody has yet: every
 * chain written before keying gets a signed checkpoint at its current head, marking its
 * rows as legacy (verified with the old unkeyed hash), and the manifest lists them all.
 * From then on those rows cannot be rewritten, truncated or deleted unnoticed.
 *
 * @example
 * const outcome = await withTransaction(handle, (tx) => sealAuditLogIn(tx, handle.dialect, key));
 */
export async function sealAuditLogIn(
  tx: Tx,
  dialect: DatabaseHandle['dialect'],
  key: AuditKey,
): Promise<AuditSealOutcome> {
  await lockAuditManifest(tx, dialect);
  const manifest = await readAuditManifest(tx);
  if (!manifest) return { status: 'missing' };
  const sealed = sealedOutcome(manifest, key);
  if (sealed) return sealed;
  const lengths = await tx
    .selectFrom('audit_events')
    .select(['chain', (eb) => eb.fn.max('seq').as('length')])
    .groupBy('chain')
    .execute();
  await tx.deleteFrom('audit_checkpoints').execute();
  let events = 0;
  for (const { chain, length } of lengths) {
    const head = await tx
      .selectFrom('audit_events')
      .select('hash')
      .where('chain', '=', chain)
      .where('seq', '=', Number(length))
      .executeTakeFirstOrThrow();
    const checkpoint = { chain, legacy_length: Number(length), length: Number(length), head_hash: head.hash };
    await tx
      .insertInto('audit_checkpoints')
      .values({
        ...checkpoint,
        updated_at: new Date().toISOString(),
        signature: signAuditCheckpoint(key, checkpoint),
      })
      .execute();
    events += Number(length);
  }
  await writeManifest(
    tx,
    key,
    lengths.map((l) => l.chain),
  );
  return { status: 'adopted', chains: lengths.length, events };
}

/**
 * Seals the audit log with `key` (see {@link sealAuditLogIn}) in its own transaction; run at
 * start-up by every process that may write audit events.
 *
 * @example
 * const outcome = await sealAuditLog(handle, key);
 * if (outcome.status === 'other-key') throw new Error('wrong audit key');
 */
export async function sealAuditLog(handle: DatabaseHandle, key: AuditKey): Promise<AuditSealOutcome> {
  // A sealed manifest is never unsealed, so when it is already signed a plain read answers
  // without the write transaction (which on SQLite waits behind the relay's writes): every
  // start and every one-shot CLI command after the first takes this path (issue 17).
  const sealed = sealedOutcome(await readAuditManifest(handle.db), key);
  return sealed ?? withTransaction(handle, (tx) => sealAuditLogIn(tx, handle.dialect, key));
}

/** The outcome for a manifest someone already sealed; undefined when it still needs sealing. */
function sealedOutcome(
  manifest: AuditManifestTable | undefined,
  key: AuditKey,
): AuditSealOutcome | undefined {
  if (manifest?.signature == null) return undefined;
  return manifest.key_id === key.id
    ? { status: 'sealed' }
    : { status: 'other-key', keyId: manifest.key_id ?? '' };
}

/**
 * Starts the checkpoint of a chain's first row and lists the chain in the manifest. A chain
 * the manifest already lists (its checkpoint was deleted), or a manifest that is missing or
 * does not hold under this key, is left alone: re-signing it would launder the tampering.
 * Returns the checkpoint written, or undefined when it left the chain alone.
 *
 * @example
 * await registerAuditChain(tx, dialect, key, firstRow);
 */
export async function registerAuditChain(
  tx: Tx,
  dialect: DatabaseHandle['dialect'],
  key: AuditKey,
  first: { chain: string; hash: string; created_at: string },
): Promise<AuditCheckpointsTable | undefined> {
  await lockAuditManifest(tx, dialect);
  const manifest = await readAuditManifest(tx);
  if (!manifest || !manifestHolds(key, manifest)) return undefined;
  const chains = manifestChains(manifest) ?? [];
  if (chains.includes(first.chain)) return undefined;
  const content = { chain: first.chain, legacy_length: 0, length: 1, head_hash: first.hash };
  const checkpoint = {
    ...content,
    updated_at: first.created_at,
    signature: signAuditCheckpoint(key, content),
  };
  await tx.insertInto('audit_checkpoints').values(checkpoint).execute();
  await writeManifest(tx, key, [...chains, first.chain]);
  return checkpoint;
}

/**
 * Moves a chain's checkpoint to its new head, but only when the checkpoint vouched for the
 * row before it: a checkpoint that does not (rows truncated, checkpoint rolled back or
 * forged) stays as it is, so verification keeps reporting the tampering. Returns the moved
 * checkpoint, or undefined when it stayed.
 *
 * @example
 * await advanceAuditCheckpoint(tx, key, checkpoint, previousRow, newRow);
 */
export async function advanceAuditCheckpoint(
  tx: Tx,
  key: AuditKey,
  checkpoint: AuditCheckpointsTable,
  previous: { seq: number; hash: string },
  next: { seq: number; hash: string; created_at: string },
): Promise<AuditCheckpointsTable | undefined> {
  const vouches =
    checkpoint.length === previous.seq &&
    checkpoint.head_hash === previous.hash &&
    checkpointHolds(key, checkpoint);
  if (!vouches) return undefined;
  const content = { ...checkpoint, length: next.seq, head_hash: next.hash };
  const advanced = { ...content, updated_at: next.created_at, signature: signAuditCheckpoint(key, content) };
  await tx
    .updateTable('audit_checkpoints')
    .set({
      length: advanced.length,
      head_hash: advanced.head_hash,
      updated_at: advanced.updated_at,
      signature: advanced.signature,
    })
    .where('chain', '=', checkpoint.chain)
    .execute();
  return advanced;
}
