import { type Insertable, sql } from 'kysely';
import { reusableQuery } from '../reusable-query.js';
import type { CaptureSourceRow, CaptureSourcesTable } from '../schema.js';
import type { Tx } from '../transaction.js';

export type NewCaptureSourceRow = Insertable<CaptureSourcesTable>;

export async function insertCaptureSource(db: Tx, row: NewCaptureSourceRow): Promise<void> {
  await db.insertInto('capture_sources').values(row).execute();
}

/** A source by id, whoever owns it (provider webhooks name the source in their URL). */
export function findCaptureSource(db: Tx, id: string): Promise<CaptureSourceRow | undefined> {
  return db.selectFrom('capture_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A source by id, only if `ownerId` owns it. */
export function findOwnedCaptureSource(
  db: Tx,
  ownerId: string,
  id: string,
): Promise<CaptureSourceRow | undefined> {
  return db
    .selectFrom('capture_sources')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

export async function findCaptureSourceByTokenHash(
  db: Tx,
  tokenHash: string,
): Promise<CaptureSourceRow | undefined> {
  const [source] = await captureSourceByTokenHash(db, tokenHash);
  return source;
}

// Every capture call looks its source up: built and compiled once (reusable-query.ts).
const captureSourceByTokenHash = reusableQuery((db, tokenHash: string) =>
  db.selectFrom('capture_sources').selectAll().where('token_hash', '=', tokenHash),
);

/** An owner's oldest live source of this kind and name (the built-in connectors find theirs by name). */
export function findLiveCaptureSourceByName(
  db: Tx,
  where: { ownerId: string; kind: CaptureSourceRow['kind']; name: string },
): Promise<CaptureSourceRow | undefined> {
  return db
    .selectFrom('capture_sources')
    .selectAll()
    .where('owner_id', '=', where.ownerId)
    .where('kind', '=', where.kind)
    .where('name', '=', where.name)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'asc')
    .executeTakeFirst();
}

/** Every source of an owner, newest first. */
export function listOwnerCaptureSources(db: Tx, ownerId: string): Promise<CaptureSourceRow[]> {
  return db
    .selectFrom('capture_sources')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('id', 'desc')
    .execute();
}

export async function markCaptureSourceSeen(db: Tx, id: string, at: string): Promise<void> {
  await db.updateTable('capture_sources').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function markCaptureSourceRevoked(db: Tx, id: string, at: string): Promise<void> {
  await db.updateTable('capture_sources').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Replaces a source's token (and its sealed signing secret, when it has one). */
export async function replaceCaptureSourceCredentials(
  db: Tx,
  id: string,
  credentials: { token_hash: string; prefix: string; sealed_signing_secret: string | null },
): Promise<void> {
  await db.updateTable('capture_sources').set(credentials).where('id', '=', id).execute();
}

/** Counts one accepted message: the figure the owner's "send a test message" check watches. */
export async function recordCaptureSourceMessage(db: Tx, id: string, at: string): Promise<void> {
  await db
    .updateTable('capture_sources')
    .set({ messages_received: sql`messages_received + 1`, last_message_at: at, last_seen_at: at })
    .where('id', '=', id)
    .execute();
}

/** Records why a message was refused or missed; `error` never holds message content. */
export async function recordCaptureSourceError(db: Tx, id: string, error: string, at: string): Promise<void> {
  await db
    .updateTable('capture_sources')
    .set({ last_error: error.slice(0, 200), last_error_at: at })
    .where('id', '=', id)
    .execute();
}
