import type { OtpRequestRow } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { publishRequestEvent } from './otp-row.js';
import { transitionRequest } from './transition.js';

const EXPIRABLE = ['pending_approval', 'approved', 'otp_received'] as const;

/**
 * Expires one overdue request and erases its ciphertext in the same statement. Returns the
 * expired row, or undefined if it was not overdue or another actor moved it first.
 */
export async function expireRequest(
  ctx: CoreContext,
  row: OtpRequestRow,
): Promise<OtpRequestRow | undefined> {
  const now = nowIso(ctx);
  if (row.expires_at > now) return undefined;
  const expired = await withTransaction(ctx.database, async (tx) => {
    const updated = await transitionRequest(tx, row.id, { any: true }, EXPIRABLE, {
      status: 'expired',
      encrypted_payload: null,
      closed_at: now,
    });
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: SYSTEM_ACTOR,
      action: 'otp.expired',
      targetId: updated.id,
      details: { previousStatus: row.status, codeErased: row.encrypted_payload !== null },
    });
    return updated;
  });
  if (expired) publishRequestEvent(ctx, expired);
  return expired;
}

/** Applies expiry lazily when a request is read after its deadline but before the sweeper ran. */
export async function withExpiryApplied(ctx: CoreContext, row: OtpRequestRow): Promise<OtpRequestRow> {
  if (!(EXPIRABLE as readonly string[]).includes(row.status) || row.expires_at > nowIso(ctx)) return row;
  const expired = await expireRequest(ctx, row);
  if (expired) return expired;
  const fresh = await ctx.database.db
    .selectFrom('otp_requests')
    .selectAll()
    .where('id', '=', row.id)
    .executeTakeFirst();
  return fresh ?? row;
}

/**
 * Expires every overdue request (in batches) and erases their ciphertext. Safe to run on
 * every instance at once: each row moves in one conditional update.
 *
 * @example
 * setInterval(() => void expireOverdueRequests(ctx), 1000);
 */
export async function expireOverdueRequests(ctx: CoreContext, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const overdue = await ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('status', 'in', EXPIRABLE)
      .where('expires_at', '<=', nowIso(ctx))
      .orderBy('expires_at', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of overdue) if (await expireRequest(ctx, row)) total++;
    if (overdue.length < batchSize) return total;
  }
}
