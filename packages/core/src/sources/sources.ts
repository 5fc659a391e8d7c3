import type { CaptureSourceRow } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import { AppError, type CaptureSource, type CaptureSourceKind } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { hashSecret, newSecret } from '../secrets.js';

function toApiSource(row: CaptureSourceRow): CaptureSource {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Creates a capture source (phone app, email connector, forwarder) and its token, shown once.
 *
 * @example
 * const { source, token } = await createCaptureSource(ctx, { ownerId, kind: 'sms', name: 'Pixel', actor });
 */
export async function createCaptureSource(
  ctx: CoreContext,
  options: { ownerId: string; kind: CaptureSourceKind; name: string; actor: Actor },
): Promise<{ source: CaptureSource; token: string }> {
  const { secret, hash, prefix } = newSecret('cs');
  const row: CaptureSourceRow = {
    id: newId('src'),
    owner_id: options.ownerId,
    kind: options.kind,
    name: options.name,
    token_hash: hash,
    prefix,
    created_at: nowIso(ctx),
    last_seen_at: null,
    revoked_at: null,
  };
  await withTransaction(ctx.database, async (tx) => {
    await tx.insertInto('capture_sources').values(row).execute();
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'source.created',
      targetId: row.id,
      details: { kind: row.kind, name: row.name, prefix },
    });
  });
  return { source: toApiSource(row), token: secret };
}

/** Every capture source of an owner, newest first. */
export async function listCaptureSources(ctx: CoreContext, ownerId: string): Promise<CaptureSource[]> {
  const rows = await ctx.database.db
    .selectFrom('capture_sources')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiSource);
}

/**
 * Revokes a capture source's token.
 *
 * @example
 * await revokeCaptureSource(ctx, { ownerId, sourceId, actor });
 */
export async function revokeCaptureSource(
  ctx: CoreContext,
  options: { ownerId: string; sourceId: string; actor: Actor },
): Promise<CaptureSource> {
  return withTransaction(ctx.database, async (tx) => {
    const row = await tx
      .selectFrom('capture_sources')
      .selectAll()
      .where('id', '=', options.sourceId)
      .where('owner_id', '=', options.ownerId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no capture source ${options.sourceId}`);
    if (row.revoked_at) throw new AppError('CONFLICT', `capture source ${row.id} is already revoked`);
    const now = nowIso(ctx);
    await tx.updateTable('capture_sources').set({ revoked_at: now }).where('id', '=', row.id).execute();
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'source.revoked',
      targetId: row.id,
      details: { name: row.name },
    });
    return toApiSource({ ...row, revoked_at: now });
  });
}

/** A capture source behind a valid token. */
export interface AuthenticatedSource {
  sourceId: string;
  ownerId: string;
  kind: CaptureSourceKind;
  name: string;
}

const SOURCE_TOKEN_SHAPE = /^cs_[A-Za-z0-9]{43}$/;

/**
 * Resolves a capture-source token, or fails with UNAUTHORIZED. Records when the source was
 * last seen (at most once a minute).
 *
 * @example
 * const source = await authenticateSourceToken(ctx, 'cs_…');
 */
export async function authenticateSourceToken(ctx: CoreContext, token: string): Promise<AuthenticatedSource> {
  if (!SOURCE_TOKEN_SHAPE.test(token))
    throw new AppError('UNAUTHORIZED', 'capture-source token is malformed');
  const row = await ctx.database.db
    .selectFrom('capture_sources')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row) throw new AppError('UNAUTHORIZED', 'capture-source token is not valid');
  if (row.revoked_at) throw new AppError('UNAUTHORIZED', 'capture-source token has been revoked');
  const now = nowIso(ctx);
  if (!row.last_seen_at || Date.parse(now) - Date.parse(row.last_seen_at) > 60_000) {
    await ctx.database.db
      .updateTable('capture_sources')
      .set({ last_seen_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return { sourceId: row.id, ownerId: row.owner_id, kind: row.kind, name: row.name };
}
