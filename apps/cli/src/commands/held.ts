import type { AssignHeldMessageResponse, HeldMessage } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { callServerAsOwner, serverUrl } from '../server-client.js';

/** One held message as the owner reads it in a terminal: sender, time, one line per candidate. */
function describeHeld(held: HeldMessage): string {
  const seconds = Math.max(0, Math.round((Date.parse(held.expiresAt) - Date.now()) / 1000));
  return [
    `${held.id}  ${held.source} from ${held.sender}, received ${held.receivedAt}`,
    '  requests of several agents match it equally well; assign it to one:',
    ...held.candidates.map(
      (c) => `    ${c.requestId}  ${c.agent.name}: ${c.reason} (sender: ${c.senderLabel}; ${c.status})`,
    ),
    `  expires in ${seconds} s`,
  ].join('\n');
}

function parseId<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  id: string,
  what: string,
): T {
  const parsed = schema.safeParse(id);
  if (!parsed.success) throw new CliError(`${id} is not ${what}`, 'USAGE');
  return parsed.data;
}

/** `held`, `assign`, `discard`: messages the relay would not route on its own. */
export function registerHeldCommands(program: Command): void {
  program
    .command('held')
    .description('list messages held for you because requests of several agents matched them equally well')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { listHeldMessages } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const held = await listHeldMessages(ctx, owner.id);
        output(options.json, held, () =>
          held.length === 0 ? 'No message is held for you.' : held.map(describeHeld).join('\n'),
        );
      });
    });

  program
    .command('assign <heldId> <requestId>')
    .description('give a held message to one of its candidate requests; the others never see it')
    .option('--url <url>', 'server URL (default AGENT_OTP_URL or http://localhost:PORT)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(
      async (heldId: string, requestId: string, options: { url?: string; user?: string; json?: boolean }) => {
        const { HeldMessageId, OtpRequestId } = await import('@agent-otp/shared');
        const { output, resolveOwner, withCore } = await import('../runtime.js');
        const id = parseId(HeldMessageId, heldId, 'a held message ID (hld_…)');
        const request = parseId(OtpRequestId, requestId, 'an OTP request ID (otp_…)');
        await withCore(async (ctx, config) => {
          const owner = await resolveOwner(ctx, options.user);
          const result = await callServerAsOwner<AssignHeldMessageResponse>(
            ctx,
            owner,
            serverUrl(config, options.url),
            `/api/v1/held-messages/${id}/assign`,
            { method: 'POST', body: { requestId: request } },
          );
          output(
            options.json,
            result,
            () =>
              `Assigned ${id} to ${request} (${
                result.status === 'pending_approval' ? 'held until you approve it' : 'ready for the agent'
              }).`,
          );
        });
      },
    );

  program
    .command('discard <heldId>')
    .description('throw a held message away: no request gets it')
    .option('--url <url>', 'server URL (default AGENT_OTP_URL or http://localhost:PORT)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (heldId: string, options: { url?: string; user?: string; json?: boolean }) => {
      const { HeldMessageId } = await import('@agent-otp/shared');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      const id = parseId(HeldMessageId, heldId, 'a held message ID (hld_…)');
      await withCore(async (ctx, config) => {
        const owner = await resolveOwner(ctx, options.user);
        const result = await callServerAsOwner<{ id: string; status: 'discarded' }>(
          ctx,
          owner,
          serverUrl(config, options.url),
          `/api/v1/held-messages/${id}/discard`,
          { method: 'POST' },
        );
        output(options.json, result, () => `Discarded ${id}; its ciphertexts are erased.`);
      });
    });
}
