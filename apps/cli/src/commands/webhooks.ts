import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** `agent:rotate-webhook-secret`, `webhooks:list`. */
export function registerWebhookCommands(program: Command): void {
  program
    .command('agent:rotate-webhook-secret <agentId>')
    .description('issue a new webhook signing secret for an agent (shown once; the old one stops verifying)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print {"agentId", "webhookSecret"} as JSON')
    .action(async (agentId: string, options: { user?: string; json?: boolean }) => {
      const { rotateAgentWebhookSecret } = await import('@agent-otp/core');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const rotated = await rotateAgentWebhookSecret(ctx, {
          ownerId: owner.id,
          agentId,
          actor: cliActor(owner),
        });
        output(
          options.json,
          rotated,
          () =>
            `New webhook signing secret for ${agentId} (shown once, store it now; deliveries are signed with it from now on): ${rotated.webhookSecret}`,
        );
      });
    });

  program
    .command('webhooks:list')
    .description('recent webhook deliveries and failures, newest first')
    .option('--agent <agentId>', 'only this agent’s events')
    .option('--limit <n>', 'how many (1–200, default 50)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { agent?: string; limit?: string; user?: string; json?: boolean }) => {
      const { listWebhookDeliveries } = await import('@agent-otp/core');
      const { WebhookDeliveryQuery } = await import('@agent-otp/shared');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      const parsed = WebhookDeliveryQuery.safeParse({ agentId: options.agent, limit: options.limit });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(
          `--${issue?.path[0] === 'limit' ? 'limit' : 'agent'}: ${issue?.message ?? 'invalid'}`,
          'USAGE',
        );
      }
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const deliveries = await listWebhookDeliveries(ctx, { ownerId: owner.id, ...parsed.data });
        output(options.json, deliveries, () =>
          deliveries.length === 0
            ? 'No webhook events yet: agents name a webhookUrl when they make a request.'
            : deliveries
                .map((d) => {
                  const outcome =
                    d.status === 'delivered'
                      ? `delivered ${d.deliveredAt} (HTTP ${d.lastHttpStatus})`
                      : d.status === 'failed'
                        ? `FAILED after ${d.attempts} attempts: ${d.lastError ?? `HTTP ${d.lastHttpStatus}`}`
                        : `pending, ${d.attempts} attempts${d.lastError ? ` (last: ${d.lastError})` : d.lastHttpStatus ? ` (last: HTTP ${d.lastHttpStatus})` : ''}, next ${d.nextAttemptAt}`;
                  return `${d.createdAt}  ${d.id}  ${d.agentId}  ${d.type}  ${new URL(d.url).host}  ${outcome}`;
                })
                .join('\n'),
        );
      });
    });
}
