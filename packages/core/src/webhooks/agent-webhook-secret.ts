import {
  AGENT_WEBHOOK_SECRET_PURPOSE,
  agentWebhookSecretBinding,
  createSecretBox,
  findAgentWebhookSecret,
  type SecretBox,
  storeAgentWebhookSecret,
  type Tx,
  withTransaction,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { generateWebhookSecret } from '@orrisai/agent-otp-contract/webhook-signing';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';

const boxes = new WeakMap<CoreContext['auditKey'], SecretBox>();

/** The secret box for agents' webhook secrets, keyed from the relay's audit key. */
function webhookSecretBox(ctx: Pick<CoreContext, 'auditKey'>): SecretBox {
  let box = boxes.get(ctx.auditKey);
  if (!box) {
    box = createSecretBox(ctx.auditKey.secret, AGENT_WEBHOOK_SECRET_PURPOSE);
    boxes.set(ctx.auditKey, box);
  }
  return box;
}

/**
 * Gives a live agent a new webhook signing secret inside the caller's transaction: stored
 * only sealed, returned once in plaintext for the owner to hand to the agent. False when the
 * agent is not this owner's live agent.
 *
 * @example
 * const secret = await issueAgentWebhookSecret(ctx, tx, { agentId, ownerId });
 */
export async function issueAgentWebhookSecret(
  ctx: CoreContext,
  tx: Tx,
  options: { agentId: string; ownerId: string },
): Promise<string | undefined> {
  const secret = generateWebhookSecret();
  const sealed = webhookSecretBox(ctx).seal(secret, agentWebhookSecretBinding(options.agentId));
  const stored = await storeAgentWebhookSecret(tx, { ...options, sealed });
  return stored ? secret : undefined;
}

/**
 * Replaces an agent's webhook signing secret; deliveries from now on are signed with the new
 * one (the old one stops verifying at once). Audited without the secret.
 *
 * @example
 * const { webhookSecret } = await rotateAgentWebhookSecret(ctx, { ownerId, agentId, actor });
 */
export async function rotateAgentWebhookSecret(
  ctx: CoreContext,
  options: { ownerId: string; agentId: string; actor: Actor },
): Promise<{ agentId: string; webhookSecret: string }> {
  return withTransaction(ctx.database, async (tx) => {
    const secret = await issueAgentWebhookSecret(ctx, tx, options);
    // Another owner's agent reads as missing, like every owner-scoped lookup.
    if (!secret) throw new AppError('NOT_FOUND', `no live agent ${options.agentId}`);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'agent.webhook_secret_rotated',
      targetId: options.agentId,
    });
    return { agentId: options.agentId, webhookSecret: secret };
  });
}

/**
 * The agent's webhook secret in plaintext, for signing a delivery; undefined when the agent
 * has none (created before webhooks and never rotated).
 *
 * @example
 * const secret = await openAgentWebhookSecret(ctx, row.agent_id);
 */
export async function openAgentWebhookSecret(ctx: CoreContext, agentId: string): Promise<string | undefined> {
  const sealed = await findAgentWebhookSecret(ctx.database.db, agentId);
  return sealed === null ? undefined : webhookSecretBox(ctx).open(sealed, agentWebhookSecretBinding(agentId));
}

/**
 * Refuses a webhook URL from an agent that has no secret to sign with (created before
 * webhooks): its owner rotates the secret first.
 *
 * @example
 * await assertAgentCanReceiveWebhooks(ctx, agent.id);
 */
export async function assertAgentCanReceiveWebhooks(ctx: CoreContext, agentId: string): Promise<void> {
  if ((await findAgentWebhookSecret(ctx.database.db, agentId)) === null)
    throw new AppError(
      'VALIDATION_ERROR',
      `webhookUrl refused: agent ${agentId} has no webhook signing secret yet; its owner creates one with \`agent-otp agent:rotate-webhook-secret ${agentId}\` or from the dashboard`,
    );
}
