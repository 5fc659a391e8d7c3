import {
  type AgentRow,
  type ApiKeyRow,
  findOwnedAgent,
  insertAgent,
  insertApiKey,
  markAgentRevoked,
  revokeAgentApiKeys,
  selectAgentApiKeys,
  selectOwnerAgents,
  selectOwnerApiKeys,
  type Tx,
  withTransaction,
} from '@agent-otp/db';
import { type Agent, AppError } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { publishOtpEvent } from '../otp/otp-row.js';
import { publishPermissionEvent } from '../permissions/permission-row.js';
import { newSecret } from '../secrets.js';
import { issueAgentWebhookSecret } from '../webhooks/agent-webhook-secret.js';
import { cancelAgentRequests } from './cancel-agent-requests.js';

function toApiAgent(agent: AgentRow, keys: ApiKeyRow[]): Agent {
  return {
    id: agent.id,
    name: agent.name,
    createdAt: agent.created_at,
    revokedAt: agent.revoked_at,
    keys: keys.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      environment: k.environment,
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
      lastUsedAt: k.last_used_at,
    })),
  };
}

async function insertKey(ctx: CoreContext, tx: Tx, agent: AgentRow, environment: 'live' | 'test') {
  const { secret, hash, prefix } = newSecret(environment === 'test' ? 'ak_test' : 'ak_live');
  const key: ApiKeyRow = {
    id: newId('key'),
    agent_id: agent.id,
    owner_id: agent.owner_id,
    key_hash: hash,
    prefix,
    environment,
    created_at: nowIso(ctx),
    revoked_at: null,
    last_used_at: null,
  };
  await insertApiKey(tx, key);
  return { key, secret };
}

/**
 * Creates an agent with one API key and a webhook signing secret; both are returned once:
 * only the key's hash and the secret sealed by the secret box are kept.
 *
 * @example
 * const { agent, apiKey } = await createAgent(ctx, { ownerId, name: 'my-assistant', test: false, actor });
 */
export async function createAgent(
  ctx: CoreContext,
  options: { ownerId: string; name: string; test?: boolean | undefined; actor: Actor },
): Promise<{ agent: Agent; apiKey: string; webhookSecret: string }> {
  return withTransaction(ctx.database, async (tx) => {
    const agent: AgentRow = {
      id: newId('agt'),
      owner_id: options.ownerId,
      name: options.name,
      created_at: nowIso(ctx),
      revoked_at: null,
      webhook_secret_sealed: null,
    };
    await insertAgent(tx, agent);
    const { key, secret } = await insertKey(ctx, tx, agent, options.test ? 'test' : 'live');
    const webhookSecret = await issueAgentWebhookSecret(ctx, tx, {
      agentId: agent.id,
      ownerId: agent.owner_id,
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'agent.created',
      targetId: agent.id,
      details: {
        name: agent.name,
        keyId: key.id,
        keyPrefix: key.prefix,
        environment: key.environment,
        webhookSecretIssued: true,
      },
    });
    // Just inserted in this transaction, so the agent is there and live.
    return { agent: toApiAgent(agent, [key]), apiKey: secret, webhookSecret: webhookSecret as string };
  });
}

/** Every agent of an owner with its keys (prefixes only), newest first. */
export async function listAgents(ctx: CoreContext, ownerId: string): Promise<Agent[]> {
  const agents = await selectOwnerAgents(ctx.database.db, ownerId);
  const keys = await selectOwnerApiKeys(ctx.database.db, ownerId);
  return agents.map((a) =>
    toApiAgent(
      a,
      keys.filter((k) => k.agent_id === a.id),
    ),
  );
}

async function requireOwnedAgent(tx: Tx, ownerId: string, agentId: string): Promise<AgentRow> {
  const agent = await findOwnedAgent(tx, ownerId, agentId);
  if (!agent) throw new AppError('NOT_FOUND', `no agent ${agentId}`);
  return agent;
}

/**
 * Revokes an agent and every key it has, and in the same transaction cancels its open
 * requests: OTP requests leave the capture list and lose any held code, permission requests
 * stop waiting and their tokens stop working. Waiters, approval channels and the dashboard
 * hear of each cancellation once the revocation has committed.
 *
 * @example
 * await revokeAgent(ctx, { ownerId, agentId, actor });
 */
export async function revokeAgent(
  ctx: CoreContext,
  options: { ownerId: string; agentId: string; actor: Actor },
): Promise<Agent> {
  const { agent, closed } = await withTransaction(ctx.database, async (tx) => {
    const agent = await requireOwnedAgent(tx, options.ownerId, options.agentId);
    if (agent.revoked_at) throw new AppError('CONFLICT', `agent ${agent.id} is already revoked`);
    const now = nowIso(ctx);
    // Only the first of two racing revocations gets here; the other finds revoked_at set.
    if (!(await markAgentRevoked(tx, agent.id, now)))
      throw new AppError('CONFLICT', `agent ${agent.id} is already revoked`);
    await revokeAgentApiKeys(tx, agent.id, now);
    const closed = await cancelAgentRequests(ctx, tx, {
      agentId: agent.id,
      ownerId: options.ownerId,
      actor: options.actor,
      now,
      reason: 'agent revoked',
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'agent.revoked',
      targetId: agent.id,
      details: {
        name: agent.name,
        cancelledOtpRequests: closed.otp.length,
        cancelledPermissionRequests: closed.permissions.length,
      },
    });
    const keys = await selectAgentApiKeys(tx, agent.id);
    return { agent: toApiAgent({ ...agent, revoked_at: now }, keys), closed };
  });
  for (const row of closed.otp) publishOtpEvent(ctx, row);
  for (const row of closed.permissions) publishPermissionEvent(ctx, row);
  return agent;
}

/**
 * Issues a new key for an agent (same environment as its newest key) and revokes the old
 * ones at once, so a leaked key stops working the moment it is rotated.
 *
 * @example
 * const { apiKey } = await rotateAgentKey(ctx, { ownerId, agentId, actor });
 */
export async function rotateAgentKey(
  ctx: CoreContext,
  options: { ownerId: string; agentId: string; actor: Actor },
): Promise<{ agent: Agent; apiKey: string }> {
  return withTransaction(ctx.database, async (tx) => {
    const agent = await requireOwnedAgent(tx, options.ownerId, options.agentId);
    if (agent.revoked_at) throw new AppError('CONFLICT', `agent ${agent.id} is revoked; create a new agent`);
    const previous = (await selectAgentApiKeys(tx, agent.id)).reverse();
    await revokeAgentApiKeys(tx, agent.id, nowIso(ctx));
    const { key, secret } = await insertKey(ctx, tx, agent, previous[0]?.environment ?? 'live');
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'agent.key_rotated',
      targetId: agent.id,
      details: {
        keyId: key.id,
        keyPrefix: key.prefix,
        revokedKeys: previous.filter((k) => !k.revoked_at).length,
      },
    });
    const keys = await selectAgentApiKeys(tx, agent.id);
    return { agent: toApiAgent(agent, keys), apiKey: secret };
  });
}
