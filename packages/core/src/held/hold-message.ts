import {
  insertHeldMessage,
  type OtpRequestRecord,
  selectHeldCandidateIds,
  selectPendingHeldMessagesLike,
  withTransaction,
} from '@agent-otp/db';

import { AppError, assertPayloadHeader, OPEN_STATUSES, PayloadError } from '@agent-otp/shared';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { senderIdentity, senderMatches } from '../matching/sender.js';
import { senderTier } from '../matching/sender-specificity.js';
import { otpConflict } from '../otp/otp-errors.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { publishHeldMessageEvent } from './held-message-events.js';

export interface HoldMessageInput {
  /** The message's sender as the source saw it; only the parsed address is kept. */
  from: string;
  receivedAt: Date;
  /** One ciphertext per tied request, each sealed to that request's own key. */
  payloads: readonly { requestId: string; encryptedPayload: string }[];
}

/**
 * Holds a message that requests of two or more agents matched equally well, for the owner
 * to assign. The relay checks what it can see: every request is the source's owner's, open,
 * without a code, accepts the source's kind, matches the sender in the same specificity
 * tier, and each JWE is addressed to its request's key. Only the parsed sender and times
 * are stored in the clear; the code exists only as the candidates' ciphertexts.
 *
 * @example
 * const held = await holdMessage(ctx, source, { from, receivedAt, payloads });
 */
export async function holdMessage(
  ctx: CoreContext,
  source: AuthenticatedSource,
  input: HoldMessageInput,
): Promise<{ id: string; expiresAt: string; candidates: string[] }> {
  const sender = senderIdentity(source.kind, input.from);
  if (sender === null) throw new AppError('VALIDATION_ERROR', 'from is not a parseable sender address');
  if (input.payloads.length < 2)
    throw new AppError('VALIDATION_ERROR', 'a held message needs at least two candidate requests');
  const scope = { ownerId: source.ownerId };
  const rows: OtpRequestRecord[] = [];
  for (const { requestId, encryptedPayload } of input.payloads) {
    const row = await readRequest(ctx, OTP_REQUESTS, requestId, scope);
    if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) throw otpConflict(row, 'hold a code for');
    if (row.encrypted_payload !== null)
      throw new AppError('CONFLICT', `OTP request ${requestId} already holds a code`);
    if (!row.sources.includes(source.kind))
      throw new AppError(
        'FORBIDDEN',
        `OTP request ${requestId} does not accept codes from ${source.kind} sources`,
      );
    if (!senderMatches(row.sender_pattern, sender))
      throw new AppError('VALIDATION_ERROR', `OTP request ${requestId} does not match this sender`);
    try {
      assertPayloadHeader(encryptedPayload, row.key_fingerprint, row.id);
    } catch (error) {
      if (error instanceof PayloadError) throw new AppError('VALIDATION_ERROR', error.message);
      throw error;
    }
    rows.push(row);
  }
  // Holding is for ties only: a source must not use it to keep a message from the request that wins it.
  if (new Set(rows.map((row) => senderTier(row.sender_pattern))).size !== 1)
    throw new AppError('VALIDATION_ERROR', 'the candidate requests do not match this sender equally well');
  if (new Set(rows.map((row) => row.agent_id)).size < 2)
    throw new AppError(
      'VALIDATION_ERROR',
      'the candidate requests belong to one agent: deliver to its oldest',
    );

  // A source retrying a hold whose answer it lost gets the same held message back, not a second one.
  const receivedAt = input.receivedAt.toISOString();
  const repeated = await findRepeatedHold(
    ctx,
    source,
    sender,
    receivedAt,
    rows.map((r) => r.id),
  );
  if (repeated) return repeated;

  const id = newId('hld');
  const now = nowIso(ctx);
  const expiresAt = rows.map((row) => row.expires_at).sort()[0] ?? now;
  const row = await withTransaction(ctx.database, async (tx) => {
    const inserted = await insertHeldMessage(
      tx,
      {
        id,
        owner_id: source.ownerId,
        source_id: source.sourceId,
        source_kind: source.kind,
        sender,
        received_at: receivedAt,
        created_at: now,
        expires_at: expiresAt,
        status: 'pending',
        assigned_request_id: null,
        closed_by: null,
        closed_at: null,
      },
      input.payloads,
    );
    await recordAuditEvent(ctx, tx, {
      ownerId: source.ownerId,
      actor: { type: 'source', id: source.sourceId, label: source.name, channel: 'api' },
      action: 'otp.message_held',
      targetId: id,
      details: {
        sourceId: source.sourceId,
        sourceKind: source.kind,
        candidates: rows.map((r) => r.id),
      },
    });
    return inserted;
  });
  publishHeldMessageEvent(ctx, row, 'created');
  return { id, expiresAt, candidates: rows.map((r) => r.id) };
}

/** The pending held message this source already made for the same sender, time and candidates, if any. */
async function findRepeatedHold(
  ctx: CoreContext,
  source: AuthenticatedSource,
  sender: string,
  receivedAt: string,
  requestIds: readonly string[],
): Promise<{ id: string; expiresAt: string; candidates: string[] } | undefined> {
  const earlier = await selectPendingHeldMessagesLike(ctx.database.db, {
    ownerId: source.ownerId,
    sourceId: source.sourceId,
    sender,
    receivedAt,
  });
  const wanted = [...requestIds].sort().join(',');
  for (const held of earlier) {
    const candidates = await selectHeldCandidateIds(ctx.database.db, held.id);
    if (candidates.sort().join(',') === wanted)
      return { id: held.id, expiresAt: held.expires_at, candidates: [...requestIds] };
  }
  return undefined;
}
