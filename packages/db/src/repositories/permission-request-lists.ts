import type { PermissionRequestRow } from '../schema.js';
import type { Tx } from '../transaction.js';
import { type PermissionRequestRecord, toRequestRecord } from './request-records.js';

/** A permission request with the name of the agent that made it, for its owner's views. */
export type PermissionRequestWithAgent = PermissionRequestRecord & { agent_name: string };

function withAgent(tx: Tx, ownerId: string) {
  return tx
    .selectFrom('permission_requests')
    .innerJoin('agents', 'agents.id', 'permission_requests.agent_id')
    .selectAll('permission_requests')
    .select(['agents.name as agent_name'])
    .where('permission_requests.owner_id', '=', ownerId);
}

function toWithAgent(row: PermissionRequestRow & { agent_name: string }): PermissionRequestWithAgent {
  return { ...toRequestRecord('permission_requests', row), agent_name: row.agent_name };
}

/**
 * One permission request of an owner with its agent's name, or undefined when it is not theirs.
 *
 * @example
 * const record = await findOwnerPermissionRequestRecord(db, ownerId, 'prm_01J…');
 */
export async function findOwnerPermissionRequestRecord(
  tx: Tx,
  ownerId: string,
  id: string,
): Promise<PermissionRequestWithAgent | undefined> {
  const row = await withAgent(tx, ownerId).where('permission_requests.id', '=', id).executeTakeFirst();
  return row && toWithAgent(row);
}

/**
 * An owner's permission requests waiting for a decision and live at `now`, oldest first.
 *
 * @example
 * const pending = await listPendingPermissionRequestRecords(db, { ownerId, now, limit: 200 });
 */
export async function listPendingPermissionRequestRecords(
  tx: Tx,
  options: { ownerId: string; now: string; limit: number },
): Promise<PermissionRequestWithAgent[]> {
  const rows = await withAgent(tx, options.ownerId)
    .where('permission_requests.status', '=', 'pending_approval')
    .where('permission_requests.expires_at', '>', options.now)
    .orderBy('permission_requests.id', 'asc')
    .limit(options.limit)
    .execute();
  return rows.map(toWithAgent);
}
