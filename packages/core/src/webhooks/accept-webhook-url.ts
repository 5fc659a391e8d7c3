import type { CoreContext } from '../context.js';
import { assertAgentCanReceiveWebhooks } from './agent-webhook-secret.js';
import { assertWebhookUrlAllowed } from './webhook-address-policy.js';

/**
 * The webhook URL a new request stores, after checking it may be used: the relay's address
 * rules (HTTPS, no internal hosts unless allowed) and an agent that has a secret to sign
 * with. Null when the request named none (the agent polls).
 *
 * @example
 * const webhookUrl = await acceptWebhookUrl(ctx, agent.agentId, body.webhookUrl);
 */
export async function acceptWebhookUrl(
  ctx: CoreContext,
  agentId: string,
  webhookUrl: string | undefined,
): Promise<string | null> {
  if (webhookUrl === undefined) return null;
  await assertWebhookUrlAllowed(ctx.webhooks, webhookUrl);
  await assertAgentCanReceiveWebhooks(ctx, agentId);
  return webhookUrl;
}
