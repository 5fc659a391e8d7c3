import { withTransaction } from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import type { RequestRows, RequestTable } from './request-kind.js';
import { type RequestUpdate, updateRequest } from './update-request.js';

/** The audit record a transition writes in its own transaction. */
export interface TransitionAudit {
  actor: Actor;
  /** Appended to the kind: `cancelled` → `otp.cancelled`. */
  action: string;
  details?: Record<string, unknown>;
}

/**
 * Moves one request of any kind: the conditional update and its audit record commit in
 * one transaction, and waiters hear of it after the commit. Returns the updated row, or
 * undefined when the request was not in a `from` status (or past its deadline) any more;
 * the caller re-reads it to say why.
 *
 * @example
 * const row = await transition(ctx, {
 *   kind: OTP_REQUESTS, id, scope: { agentId }, from: OPEN_STATUSES,
 *   changes: { status: 'cancelled', encrypted_payload: null, closed_at: now },
 *   audit: () => ({ actor: agentActor(agent), action: 'cancelled' }),
 * });
 */
export async function transition<T extends RequestTable>(
  ctx: CoreContext,
  options: Omit<RequestUpdate<T>, 'now'> & {
    now?: string;
    /** The audit record, from the updated row (its new status, what it now holds). */
    audit: (updated: RequestRows[T]) => TransitionAudit;
    /** The status does not change, so waiters are not woken (a token handed out). */
    quiet?: boolean;
  },
): Promise<RequestRows[T] | undefined> {
  const now = options.now ?? nowIso(ctx);
  const { audit: describe, quiet: _quiet, ...update } = options;
  const moved = await withTransaction(ctx.database, async (tx) => {
    const updated = await updateRequest(tx, { ...update, now });
    if (!updated) return undefined;
    const audit = describe(updated);
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: audit.actor,
      action: `${options.kind.kind}.${audit.action}`,
      targetId: updated.id,
      ...(audit.details === undefined ? {} : { details: audit.details }),
    });
    return updated;
  });
  if (moved && !options.quiet) options.kind.publish(ctx, moved);
  return moved;
}
