import type { Insertable } from 'kysely';
import { reusableQuery } from '../reusable-query.js';
import type { AgentRow, AgentsTable, ApiKeyRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Stores a new agent. */
export async function insertAgent(tx: Tx, agent: Insertable<AgentsTable>): Promise<void> {
  await tx.insertInto('agents').values(agent).execute();
}

/** Stores a new API key (its hash and prefix only). */
export async function insertApiKey(tx: Tx, key: ApiKeyRow): Promise<void> {
  await tx.insertInto('api_keys').values(key).execute();
}

/** Every agent of an owner, newest first. */
export function selectOwnerAgents(db: Tx, ownerId: string): Promise<AgentRow[]> {
  return db.selectFrom('agents').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'desc').execute();
}

/** Every API key of an owner's agents, oldest first. */
export function selectOwnerApiKeys(db: Tx, ownerId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'asc').execute();
}

/** An agent's API keys, oldest first. */
export function selectAgentApiKeys(db: Tx, agentId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('agent_id', '=', agentId).orderBy('id', 'asc').execute();
}

/** An agent by id, only if `ownerId` owns it. */
export function findOwnedAgent(db: Tx, ownerId: string, agentId: string): Promise<AgentRow | undefined> {
  return db
    .selectFrom('agents')
    .selectAll()
    .where('id', '=', agentId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

/** The id and name of every agent of an owner (revoked ones too). */
export function selectOwnerAgentNames(db: Tx, ownerId: string): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('agents').select(['id', 'name']).where('owner_id', '=', ownerId).execute();
}

/** An owner's agent by id or by name (the newest of that name). */
export function findOwnerAgentByIdOrName(
  db: Tx,
  ownerId: string,
  which: { id: string } | { name: string },
): Promise<{ id: string; name: string } | undefined> {
  let query = db.selectFrom('agents').select(['id', 'name']).where('owner_id', '=', ownerId);
  query = 'id' in which ? query.where('id', '=', which.id) : query.where('name', '=', which.name);
  return query.orderBy('created_at', 'desc').executeTakeFirst();
}

/** Marks a live agent revoked; false when it already was (a racing revocation won). */
export async function markAgentRevoked(tx: Tx, agentId: string, at: string): Promise<boolean> {
  const result = await tx
    .updateTable('agents')
    .set({ revoked_at: at })
    .where('id', '=', agentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live API key of an agent. */
export async function revokeAgentApiKeys(tx: Tx, agentId: string, at: string): Promise<void> {
  await tx
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** An API key (looked up by its hash) and the agent it belongs to. */
export interface ApiKeyHolder {
  keyId: string;
  environment: ApiKeyRow['environment'];
  keyRevokedAt: string | null;
  lastUsedAt: string | null;
  agentId: string;
  agentName: string;
  ownerId: string;
  agentRevokedAt: string | null;
}

// Every agent call looks its key up: built and compiled once (reusable-query.ts).
const apiKeyHolderByHash = reusableQuery((db, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('agents', 'agents.id', 'api_keys.agent_id')
    .select([
      'api_keys.id as keyId',
      'api_keys.environment',
      'api_keys.revoked_at as keyRevokedAt',
      'api_keys.last_used_at as lastUsedAt',
      'agents.id as agentId',
      'agents.name as agentName',
      'agents.owner_id as ownerId',
      'agents.revoked_at as agentRevokedAt',
    ])
    .where('api_keys.key_hash', '=', keyHash),
);

/** The key with this hash and its agent, revoked or not. */
export async function findApiKeyHolder(db: Tx, keyHash: string): Promise<ApiKeyHolder | undefined> {
  const [holder] = await apiKeyHolderByHash(db, keyHash);
  return holder;
}

/** Records when an API key was last used. */
export async function markApiKeyUsed(db: Tx, keyId: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}

/**
 * Reads an agent's revocation inside a transaction, locking its row on PostgreSQL (SQLite
 * transactions are exclusive already); undefined when there is no such agent.
 */
export function lockAgentRow(
  tx: Tx,
  dialect: 'sqlite' | 'postgres',
  agentId: string,
): Promise<{ revoked_at: string | null } | undefined> {
  const lock = dialect === 'postgres' ? agentRowForUpdate : agentRow;
  return lock(tx, agentId).then(([row]) => row);
}

// Read by every create (issue 18): each built and compiled once (reusable-query.ts).
const agentRevocation = (db: Tx, agentId: string) =>
  db.selectFrom('agents').select('revoked_at').where('id', '=', agentId);
const agentRow = reusableQuery(agentRevocation);
const agentRowForUpdate = reusableQuery((db, agentId: string) => agentRevocation(db, agentId).forUpdate());
