import type { Insertable } from 'kysely';
import type { WebhookOutboxRow, WebhookOutboxTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/**
 * Queues one webhook event; called inside the transaction that changed the request's status,
 * so the event commits (or rolls back) with the change it reports.
 *
 * @example
 * await insertWebhookEvent(tx, { id: 'evt_…', …, status: 'pending', attempts: 0 });
 */
export async function insertWebhookEvent(tx: Tx, row: Insertable<WebhookOutboxTable>): Promise<void> {
  await tx.insertInto('webhook_outbox').values(row).execute();
}

/**
 * Claims up to `limit` due events for `instance` until `leaseUntil`, counting the attempt.
 * Each claim is a conditional update (still pending, lease free or lapsed), so of several
 * instances reading the same candidates exactly one wins each: one delivery per attempt. A
 * lease that lapses (the claimer died mid-attempt) makes the event due again.
 *
 * @example
 * const claimed = await claimDueWebhookEvents(db, { now, instance: 'i1', leaseUntil, limit: 50 });
 */
export async function claimDueWebhookEvents(
  db: Tx,
  options: { now: string; instance: string; leaseUntil: string; limit: number },
): Promise<WebhookOutboxRow[]> {
  const { now, instance, leaseUntil, limit } = options;
  const candidates = await db
    .selectFrom('webhook_outbox')
    .select(['id', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: WebhookOutboxRow[] = [];
  for (const candidate of candidates) {
    const row = await db
      .updateTable('webhook_outbox')
      .set({ claimed_by: instance, claimed_until: leaseUntil, attempts: candidate.attempts + 1 })
      .where('id', '=', candidate.id)
      .where('status', '=', 'pending')
      // The attempt count read above doubles as a version: a claim between our read and this
      // update bumped it, so this update matches nothing.
      .where('attempts', '=', candidate.attempts)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** The outcome of one claimed attempt; ignored unless `instance` still holds the lease. */
export type WebhookAttemptOutcome =
  | { result: 'delivered'; at: string; httpStatus: number }
  | { result: 'retry'; nextAttemptAt: string; error: string; httpStatus: number | null }
  | { result: 'failed'; at: string; error: string; httpStatus: number | null };

/**
 * Records how a claimed attempt ended and releases the lease. Returns false when the lease
 * was lost (it lapsed and another instance claimed the event): that instance records instead.
 *
 * @example
 * await recordWebhookAttempt(db, { id, instance, attempts: row.attempts }, { result: 'delivered', at, httpStatus: 204 });
 */
export async function recordWebhookAttempt(
  db: Tx,
  claim: { id: string; instance: string; attempts: number },
  outcome: WebhookAttemptOutcome,
): Promise<boolean> {
  const changes =
    outcome.result === 'delivered'
      ? {
          status: 'delivered' as const,
          delivered_at: outcome.at,
          last_http_status: outcome.httpStatus,
          last_error: null,
        }
      : outcome.result === 'retry'
        ? {
            next_attempt_at: outcome.nextAttemptAt,
            last_error: outcome.error,
            last_http_status: outcome.httpStatus,
          }
        : { status: 'failed' as const, last_error: outcome.error, last_http_status: outcome.httpStatus };
  const updated = await db
    .updateTable('webhook_outbox')
    .set({ ...changes, claimed_by: null, claimed_until: null })
    .where('id', '=', claim.id)
    .where('claimed_by', '=', claim.instance)
    .where('attempts', '=', claim.attempts)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/**
 * An owner's recent webhook events, newest first, optionally of one agent. Scoped by owner in
 * the query, so another owner's agent ID finds nothing.
 *
 * @example
 * const rows = await listWebhookEvents(db, { ownerId, agentId, limit: 50 });
 */
export function listWebhookEvents(
  db: Tx,
  options: { ownerId: string; agentId?: string | undefined; limit: number },
): Promise<WebhookOutboxRow[]> {
  let query = db.selectFrom('webhook_outbox').selectAll().where('owner_id', '=', options.ownerId);
  if (options.agentId) query = query.where('agent_id', '=', options.agentId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}
