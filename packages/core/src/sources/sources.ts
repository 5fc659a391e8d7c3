import {
  type CaptureSourceRow,
  findCaptureSourceByTokenHash,
  findOwnedCaptureSource,
  insertCaptureSource,
  listOwnerCaptureSources,
  markCaptureSourceRevoked,
  markCaptureSourceSeen,
  replaceCaptureSourceCredentials,
  withTransaction,
} from '@agent-otp/db';
import {
  AppError,
  type CaptureSource,
  type CaptureSourceKind,
  type CaptureSourceProvider,
  type SourceWithToken,
} from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { hashSecret, newSecret, newSigningKey } from '../secrets.js';
import { sourceSetup, webhookUrlOf } from './source-setup.js';
import { sealSigningSecret } from './source-signing-secret.js';

function toApiSource(ctx: Pick<CoreContext, 'publicUrl'>, row: CaptureSourceRow): CaptureSource {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    provider: (row.provider as CaptureSourceProvider | null) ?? null,
    webhookUrl: webhookUrlOf(ctx.publicUrl, row),
    signed: row.provider !== 'twilio' && row.provider !== 'telnyx' && row.sealed_signing_secret !== null,
    messagesReceived: Number(row.messages_received),
    lastMessageAt: row.last_message_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

/** How a new source is reached; provider fields are checked by the route's schema first. */
export interface CaptureSourceOptions {
  ownerId: string;
  kind: CaptureSourceKind;
  name: string;
  actor: Actor;
  /** SMS sources only; default `generic`. */
  provider?: CaptureSourceProvider | undefined;
  twilioAuthToken?: string | undefined;
  telnyxPublicKey?: string | undefined;
  /** Generic sources: every message must carry an HMAC signature. */
  signed?: boolean | undefined;
}

/** Whether a source's messages are checked with an HMAC key the relay issues. */
const issuesSigningKey = (provider: CaptureSourceProvider | null, signed: boolean) =>
  provider === 'sms-gateway' || (provider === 'generic' && signed);

/** The response that shows a source's credentials once, with the values to set it up. */
function withCredentials(
  ctx: Pick<CoreContext, 'publicUrl'>,
  row: CaptureSourceRow,
  token: string,
  signingSecret: string | undefined,
): SourceWithToken {
  const source = toApiSource(ctx, row);
  if (!source.provider || !source.webhookUrl) return { source, token };
  return {
    source,
    token,
    ...(signingSecret ? { signingSecret } : {}),
    webhookUrl: source.webhookUrl,
    setup: sourceSetup({ provider: source.provider, webhookUrl: source.webhookUrl, token, signingSecret }),
  };
}

/**
 * Creates a capture source (phone app, SMS provider, email connector, forwarder) and its
 * token; the token and any signing key it needs are in this answer only.
 *
 * @example
 * const { source, token } = await createCaptureSource(ctx, { ownerId, kind: 'sms', name: 'Pixel', actor });
 */
export async function createCaptureSource(
  ctx: CoreContext,
  options: CaptureSourceOptions,
): Promise<SourceWithToken> {
  const provider = options.kind === 'sms' ? (options.provider ?? 'generic') : null;
  if (options.kind !== 'sms' && options.provider)
    throw new AppError('VALIDATION_ERROR', 'provider applies to sms sources only');
  if (provider === 'twilio' && !options.twilioAuthToken)
    throw new AppError('VALIDATION_ERROR', 'twilioAuthToken is required for provider twilio');
  if (provider === 'telnyx' && !options.telnyxPublicKey)
    throw new AppError('VALIDATION_ERROR', 'telnyxPublicKey is required for provider telnyx');
  const { secret, hash, prefix } = newSecret('cs');
  const id = newId('src');
  const signingSecret = issuesSigningKey(provider, options.signed === true) ? newSigningKey() : undefined;
  const verifiedWith = provider === 'twilio' ? options.twilioAuthToken : signingSecret;
  const row: CaptureSourceRow = {
    id,
    owner_id: options.ownerId,
    kind: options.kind,
    name: options.name,
    token_hash: hash,
    prefix,
    created_at: nowIso(ctx),
    last_seen_at: null,
    revoked_at: null,
    provider,
    sealed_signing_secret: verifiedWith ? sealSigningSecret(ctx, id, verifiedWith) : null,
    telnyx_public_key: provider === 'telnyx' ? (options.telnyxPublicKey ?? null) : null,
    messages_received: 0,
    last_message_at: null,
    last_error: null,
    last_error_at: null,
  };
  await withTransaction(ctx.database, async (tx) => {
    await insertCaptureSource(tx, row);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'source.created',
      targetId: row.id,
      details: { kind: row.kind, name: row.name, prefix, provider },
    });
  });
  return withCredentials(ctx, row, secret, signingSecret);
}

/** Every capture source of an owner, newest first. */
export async function listCaptureSources(ctx: CoreContext, ownerId: string): Promise<CaptureSource[]> {
  const rows = await listOwnerCaptureSources(ctx.database.db, ownerId);
  return rows.map((row) => toApiSource(ctx, row));
}

/**
 * One capture source of an owner (the dashboard polls it for the "send a test message" check).
 *
 * @example
 * const source = await getCaptureSource(ctx, ownerId, 'src_…');
 */
export async function getCaptureSource(
  ctx: CoreContext,
  ownerId: string,
  sourceId: string,
): Promise<CaptureSource> {
  const row = await findOwnedCaptureSource(ctx.database.db, ownerId, sourceId);
  if (!row) throw new AppError('NOT_FOUND', `no capture source ${sourceId}`);
  return toApiSource(ctx, row);
}

/**
 * Issues a source a new token, and a new signing key where the relay issued the old one
 * (SMS Gateway, signed generic forwarders); both are in this answer only. A Twilio Auth
 * Token or Telnyx public key comes from the provider and stays.
 *
 * @example
 * const { token, signingSecret } = await rotateCaptureSource(ctx, { ownerId, sourceId, actor });
 */
export async function rotateCaptureSource(
  ctx: CoreContext,
  options: { ownerId: string; sourceId: string; actor: Actor },
): Promise<SourceWithToken> {
  return withTransaction(ctx.database, async (tx) => {
    const row = await findOwnedCaptureSource(tx, options.ownerId, options.sourceId);
    if (!row) throw new AppError('NOT_FOUND', `no capture source ${options.sourceId}`);
    if (row.revoked_at) throw new AppError('CONFLICT', `capture source ${row.id} is revoked`);
    const { secret, hash, prefix } = newSecret('cs');
    const provider = row.provider as CaptureSourceProvider | null;
    const signingSecret = issuesSigningKey(provider, row.sealed_signing_secret !== null)
      ? newSigningKey()
      : undefined;
    const sealed = signingSecret ? sealSigningSecret(ctx, row.id, signingSecret) : row.sealed_signing_secret;
    await replaceCaptureSourceCredentials(tx, row.id, {
      token_hash: hash,
      prefix,
      sealed_signing_secret: sealed,
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'source.rotated',
      targetId: row.id,
      details: { name: row.name, prefix, signingKeyRotated: signingSecret !== undefined },
    });
    return withCredentials(
      ctx,
      { ...row, token_hash: hash, prefix, sealed_signing_secret: sealed },
      secret,
      signingSecret,
    );
  });
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
    const row = await findOwnedCaptureSource(tx, options.ownerId, options.sourceId);
    if (!row) throw new AppError('NOT_FOUND', `no capture source ${options.sourceId}`);
    if (row.revoked_at) throw new AppError('CONFLICT', `capture source ${row.id} is already revoked`);
    const now = nowIso(ctx);
    await markCaptureSourceRevoked(tx, row.id, now);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'source.revoked',
      targetId: row.id,
      details: { name: row.name },
    });
    return toApiSource(ctx, { ...row, revoked_at: now });
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

/** Records that a source was heard from, at most once a minute. */
export async function touchCaptureSource(
  ctx: CoreContext,
  row: Pick<CaptureSourceRow, 'id' | 'last_seen_at'>,
): Promise<void> {
  const now = nowIso(ctx);
  if (!row.last_seen_at || Date.parse(now) - Date.parse(row.last_seen_at) > 60_000)
    await markCaptureSourceSeen(ctx.database.db, row.id, now);
}

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
  const row = await findCaptureSourceByTokenHash(ctx.database.db, hashSecret(token));
  if (!row) throw new AppError('UNAUTHORIZED', 'capture-source token is not valid');
  if (row.revoked_at) throw new AppError('UNAUTHORIZED', 'capture-source token has been revoked');
  await touchCaptureSource(ctx, row);
  return { sourceId: row.id, ownerId: row.owner_id, kind: row.kind, name: row.name };
}
