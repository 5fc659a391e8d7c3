import {
  type RequestRecords,
  type RequestTable,
  type RequestUpdate,
  updateRequestRecord,
  withTransaction,
} from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import type { RequestEvent } from '../events/event-bus.js';
import { queueWebhookEvent } from '../webhooks/queue-webhook-event.js';
import { announceWithin, publishCommittedChange } from './announce-change.js';
import type { RequestKindConfig } from './request-kind.js';

/** The audit record a transition writes in its own transaction. */
export interface TransitionAudit {
  actor: Actor;
  /** Appended to the kind: `cancelled` → `otp.cancelled`. */
  action: string;
  details?: Record<string, unknown>;
}

/**
 * Moves one request of any kind: the conditional update (the repository's one primitive)
 * and its audit record commit in one transaction; other instances are notified inside it
 * and this process's waiters after the commit.
 * A move out of the kind's open statuses closes the request. Returns the updated record, or
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
  options: Omit<RequestUpdate<T>, 'table' | 'now'> & {
    kind: RequestKindConfig<T>;
    now?: string;
    /** The audit record, from the updated row (its new status, what it now holds). */
    audit: (updated: RequestRecords[T]) => TransitionAudit;
    /** The status does not change, so waiters are not woken (a token handed out). */
    quiet?: boolean;
    /**
     * Runs on the updated row before anything else is written; what it throws rolls the
     * change back. For a rule that needs a column the request kept since its creation (a
     * high-risk approval needs a step-up) without reading the row before the update.
     */
    check?: (updated: RequestRecords[T]) => void;
  },
): Promise<RequestRecords[T] | undefined> {
  const now = options.now ?? nowIso(ctx);
  const { audit: describe, quiet: _quiet, check, kind, ...update } = options;
  const moved = await withTransaction(ctx.database, async (tx) => {
    let updated = await updateRequestRecord(tx, { ...update, table: kind.table, now });
    if (!updated) return undefined;
    // A status the database chose (a spend's CASE reaching `used`) may end the request: it is
    // closed like any other, in a second statement because a CASE of text in a timestamptz column would need
    // a dialect-specific cast, and the row is already this transaction's.
    if (!kind.open.includes(updated.status) && updated.closed_at === null)
      updated =
        (await updateRequestRecord(tx, {
          table: kind.table,
          id: updated.id,
          scope: { any: true },
          from: [updated.status],
          changes: { ...kind.closeChanges, closed_at: now },
          deadline: 'any',
          now,
        })) ?? updated;
    check?.(updated);
    const audit = describe(updated);
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: audit.actor,
      action: `${options.kind.kind}.${audit.action}`,
      targetId: updated.id,
      ...(audit.details === undefined ? {} : { details: audit.details }),
    });
    if (options.quiet) return { updated, event: undefined };
    const webhookQueued = await queueWebhookEvent(tx, options.kind.kind, updated, now);
    const event: RequestEvent = { ...kind.event(updated), webhookQueued };
    await announceWithin(ctx, tx, event);
    return { updated, event };
  });
  if (moved?.event) publishCommittedChange(ctx, moved.event);
  return moved?.updated;
}
