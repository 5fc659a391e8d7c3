import type { Tx } from '../transaction.js';

/** Where an agent's sealed webhook secret is bound: a ciphertext opens only on its own agent row. */
export const agentWebhookSecretBinding = (agentId: string) => `agents:${agentId}`;

/** The purpose label of the secret box sealing agents' webhook secrets. */
export const AGENT_WEBHOOK_SECRET_PURPOSE = 'agent webhook signing secret';

/**
 * Stores an agent's sealed webhook secret, replacing any previous one. Scoped by owner, and
 * only while the agent is live; returns false when no such agent (or not this owner's).
 *
 * @example
 * await storeAgentWebhookSecret(tx, { agentId, ownerId, sealed: box.seal(secret, agentWebhookSecretBinding(agentId)) });
 */
export async function storeAgentWebhookSecret(
  tx: Tx,
  options: { agentId: string; ownerId: string; sealed: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('agents')
    .set({ webhook_secret_sealed: options.sealed })
    .where('id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The agent's sealed webhook secret, or null when it has none (created before webhooks).
 *
 * @example
 * const sealed = await findAgentWebhookSecret(db, agentId);
 */
export async function findAgentWebhookSecret(db: Tx, agentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('agents')
    .select('webhook_secret_sealed')
    .where('id', '=', agentId)
    .executeTakeFirst();
  return row?.webhook_secret_sealed ?? null;
}
