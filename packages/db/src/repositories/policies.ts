import { type JsonObject, JsonObjectShape } from '@agent-otp/shared/stored-values';
import { reusableQuery } from '../reusable-query.js';
import type { PolicyRow } from '../schema.js';
import type { Tx } from '../transaction.js';
import { CorruptRowError, parseJsonColumn } from './json-column.js';

/** A stored policy with its JSON columns parsed. */
export type PolicyRecord = Omit<PolicyRow, 'conditions' | 'scope_template'> & {
  conditions: JsonObject;
  scope_template: JsonObject | null;
};

/**
 * A stored policy as the engine loads it: either its record, or, for a row whose JSON no
 * longer parses, the row's plain columns and the error (the policy then counts as failing).
 */
export type LoadedPolicy =
  | { record: PolicyRecord; corrupt: null }
  | { record: Omit<PolicyRecord, 'conditions' | 'scope_template'>; corrupt: CorruptRowError };

function toRecord(row: PolicyRow): PolicyRecord {
  const where = (column: string) => ({ table: 'policies', id: row.id, column });
  return {
    ...row,
    conditions: parseJsonColumn(JsonObjectShape, where('conditions'), row.conditions),
    scope_template:
      row.scope_template === null
        ? null
        : parseJsonColumn(JsonObjectShape, where('scope_template'), row.scope_template),
  };
}

function toLoaded(row: PolicyRow): LoadedPolicy {
  try {
    return { record: toRecord(row), corrupt: null };
  } catch (error) {
    if (!(error instanceof CorruptRowError)) throw error;
    const { conditions: _conditions, scope_template: _scope, ...plain } = row;
    return { record: plain, corrupt: error };
  }
}

/**
 * An owner's stored policies, enabled or not, oldest first (the engine's tie-break order).
 *
 * @example
 * for (const { record, corrupt } of await selectOwnerPolicies(db, ownerId)) …
 */
export async function selectOwnerPolicies(db: Tx, ownerId: string): Promise<LoadedPolicy[]> {
  const rows = await policiesOf(db, ownerId);
  return rows.map(toLoaded);
}

// Read by every create (issue 18): built and compiled once (reusable-query.ts).
const policiesOf = reusableQuery((db, ownerId: string) =>
  db
    .selectFrom('policies')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc'),
);

/** Stores a policy; its JSON columns are serialised here. */
export async function insertPolicy(tx: Tx, policy: PolicyRecord): Promise<void> {
  await tx
    .insertInto('policies')
    .values({
      ...policy,
      conditions: JSON.stringify(policy.conditions),
      scope_template: policy.scope_template === null ? null : JSON.stringify(policy.scope_template),
    })
    .execute();
}

/** Deletes one of an owner's policies; the deleted record, or undefined when there was none. */
export async function deleteOwnerPolicy(
  tx: Tx,
  ownerId: string,
  id: string,
): Promise<LoadedPolicy | undefined> {
  const row = await tx
    .deleteFrom('policies')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .returningAll()
    .executeTakeFirst();
  return row ? toLoaded(row) : undefined;
}

/** One of an owner's stored policies, or undefined (another owner's is as absent as a missing one). */
export async function selectOwnerPolicy(
  db: Tx,
  ownerId: string,
  id: string,
): Promise<LoadedPolicy | undefined> {
  const row = await db
    .selectFrom('policies')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row ? toLoaded(row) : undefined;
}

/** What an update may change; the ID, owner and creation time stay. */
export type PolicyChanges = Omit<PolicyRecord, 'id' | 'owner_id' | 'created_at'>;

/** Rewrites one of an owner's policies; whether a row was changed. */
export async function updateOwnerPolicy(
  tx: Tx,
  ownerId: string,
  id: string,
  changes: PolicyChanges,
): Promise<boolean> {
  const result = await tx
    .updateTable('policies')
    .set({
      ...changes,
      conditions: JSON.stringify(changes.conditions),
      scope_template: changes.scope_template === null ? null : JSON.stringify(changes.scope_template),
    })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
