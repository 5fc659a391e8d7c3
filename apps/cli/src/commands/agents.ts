import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** `agent:create`, `agent:list`, `agent:revoke`, `key:rotate`. */
export function registerAgentCommands(program: Command): void {
  program
    .command('agent:create')
    .description('create an agent and print its API key and webhook signing secret (shown once)')
    .requiredOption('--name <name>', 'agent name, shown to the approver')
    .option('--test', 'issue a test key: requests approve themselves and get a synthetic code')
    .option('--user <email>', 'owner of the agent (default: the only owner)')
    .option('--json', 'print {"id", "apiKey", "webhookSecret"} as JSON')
    .action(async (options: { name: string; test?: boolean; user?: string; json?: boolean }) => {
      const { createAgent } = await import('@agent-otp/core');
      const { CreateAgentBody } = await import('@agent-otp/shared');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      const parsed = CreateAgentBody.safeParse({ name: options.name, test: options.test ?? false });
      if (!parsed.success)
        throw new CliError(`--name: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'USAGE');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const { agent, apiKey, webhookSecret } = await createAgent(ctx, {
          ownerId: owner.id,
          ...parsed.data,
          actor: cliActor(owner),
        });
        output(options.json, { id: agent.id, apiKey, webhookSecret }, () =>
          [
            `Created agent ${agent.name} (${agent.id}) for ${owner.email}.`,
            `API key (shown once, store it now): ${apiKey}`,
            `Webhook signing secret (shown once, store it now): ${webhookSecret}`,
          ].join('\n'),
        );
      });
    });

  program
    .command('agent:list')
    .description('list agents and their keys (prefixes only)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { listAgents } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const agents = await listAgents(ctx, owner.id);
        output(options.json, agents, () =>
          agents.length === 0
            ? 'No agents yet: create one with `agent-otp agent:create --name NAME`.'
            : agents
                .map((a) => {
                  const active = a.keys.filter((k) => !k.revokedAt);
                  const keys =
                    active.map((k) => `${k.prefix}… (${k.environment})`).join(', ') || 'no active key';
                  return `${a.id}  ${a.name}${a.revokedAt ? '  [revoked]' : ''}  ${keys}`;
                })
                .join('\n'),
        );
      });
    });

  program
    .command('agent:revoke <agentId>')
    .description('revoke an agent and all its keys')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (agentId: string, options: { user?: string; json?: boolean }) => {
      const { revokeAgent } = await import('@agent-otp/core');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const agent = await revokeAgent(ctx, { ownerId: owner.id, agentId, actor: cliActor(owner) });
        output(options.json, agent, () => `Revoked agent ${agent.name} (${agent.id}) and its keys.`);
      });
    });

  program
    .command('key:rotate <agentId>')
    .description('issue a new API key for an agent and revoke its old ones')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print {"id", "apiKey"} as JSON')
    .action(async (agentId: string, options: { user?: string; json?: boolean }) => {
      const { rotateAgentKey } = await import('@agent-otp/core');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const { agent, apiKey } = await rotateAgentKey(ctx, {
          ownerId: owner.id,
          agentId,
          actor: cliActor(owner),
        });
        output(
          options.json,
          { id: agent.id, apiKey },
          () => `New API key for ${agent.name} (shown once; the old key no longer works): ${apiKey}`,
        );
      });
    });
}
