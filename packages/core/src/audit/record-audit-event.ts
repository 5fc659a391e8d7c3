import { type AuditEventRow, appendAuditEvent, type Tx } from '@agent-otp/db';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  ownerId: string | null;
  actor: Actor;
  action: string;
  targetId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Records one audit event inside the caller's transaction. Details must never hold a code,
 * a key, a token or message content: they are kept forever.
 *
 * @example
 * await recordAuditEvent(ctx, tx, { ownerId, actor, action: 'otp.approved', targetId: id });
 */
export function recordAuditEvent(ctx: CoreContext, tx: Tx, entry: AuditEntry): Promise<AuditEventRow> {
  return appendAuditEvent(tx, ctx.database.dialect, ctx.auditKey, {
    id: newId('evt'),
    chain: entry.ownerId ?? 'system',
    created_at: nowIso(ctx),
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    channel: entry.actor.channel,
    action: entry.action,
    target_id: entry.targetId,
    details: { actor: entry.actor.label, ...entry.details },
  });
}
