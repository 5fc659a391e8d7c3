import { reusableQuery } from '../reusable-query.js';
import type { PushSubscriptionRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/**
 * Stores a browser's subscription for an owner; subscribing the same endpoint again replaces
 * its keys (a browser that re-subscribed has new ones). Only this owner's row is touched.
 */
export async function upsertPushSubscription(tx: Tx, row: PushSubscriptionRow): Promise<void> {
  await tx
    .insertInto('push_subscriptions')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['owner_id', 'endpoint']).doUpdateSet({ p256dh: row.p256dh, auth: row.auth }),
    )
    .execute();
}

/** An owner's subscriptions, oldest first. */
export function selectOwnerPushSubscriptions(db: Tx, ownerId: string): Promise<PushSubscriptionRow[]> {
  return pushSubscriptionsOf(db, ownerId);
}

// Read after every create that waits for approval (issue 18): built and compiled once (reusable-query.ts).
const pushSubscriptionsOf = reusableQuery((db, ownerId: string) =>
  db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'asc'),
);

/** Whether this owner has a subscription for this endpoint. */
export async function ownerHasPushSubscription(db: Tx, ownerId: string, endpoint: string): Promise<boolean> {
  const row = await db
    .selectFrom('push_subscriptions')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes this owner's subscription for an endpoint; true when there was one. */
export async function deleteOwnerPushSubscription(
  tx: Tx,
  ownerId: string,
  endpoint: string,
): Promise<boolean> {
  const result = await tx
    .deleteFrom('push_subscriptions')
    .where('owner_id', '=', ownerId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes one subscription by id, only if it is this owner's (the push service said it is gone). */
export async function deletePushSubscription(tx: Tx, ownerId: string, id: string): Promise<void> {
  await tx.deleteFrom('push_subscriptions').where('id', '=', id).where('owner_id', '=', ownerId).execute();
}
