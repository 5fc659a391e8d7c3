import { createCaptureSource, listCaptureSources, revokeCaptureSource } from '@agent-otp/core';
import { CreateSourceBody } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError, cliActor, output, resolveOwner, withCore } from '../runtime.js';

/** `source:create`, `source:list`, `source:revoke`. */
export function registerSourceCommands(program: Command): void {
  program
    .command('source:create')
    .description('create a capture-source token for a phone app, mail connector or forwarder (shown once)')
    .requiredOption('--kind <kind>', 'sms or email')
    .requiredOption('--name <name>', 'a name to recognise it by')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print {"id", "token"} as JSON')
    .action(async (options: { kind: string; name: string; user?: string; json?: boolean }) => {
      const parsed = CreateSourceBody.safeParse({ kind: options.kind, name: options.name });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`--${String(issue?.path[0] ?? 'kind')}: ${issue?.message ?? 'invalid'}`);
      }
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const { source, token } = await createCaptureSource(ctx, {
          ownerId: owner.id,
          ...parsed.data,
          actor: cliActor(owner),
        });
        output(options.json, { id: source.id, token }, () =>
          [
            `Created ${source.kind} source ${source.name} (${source.id}).`,
            `Token (shown once, store it now): ${token}`,
          ].join('\n'),
        );
      });
    });

  program
    .command('source:list')
    .description('list capture sources and when each was last seen')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const sources = await listCaptureSources(ctx, owner.id);
        output(options.json, sources, () =>
          sources.length === 0
            ? 'No capture sources yet: create one with `agent-otp source:create --kind email --name NAME`.'
            : sources
                .map(
                  (s) =>
                    `${s.id}  ${s.kind}  ${s.name}  ${s.prefix}…  last seen ${s.lastSeenAt ?? 'never'}${s.revokedAt ? '  [revoked]' : ''}`,
                )
                .join('\n'),
        );
      });
    });

  program
    .command('source:revoke <sourceId>')
    .description("revoke a capture source's token")
    .option('--user <email>', 'owner (default: the only owner)')
    .action(async (sourceId: string, options: { user?: string }) => {
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const source = await revokeCaptureSource(ctx, {
          ownerId: owner.id,
          sourceId,
          actor: cliActor(owner),
        });
        process.stdout.write(`Revoked capture source ${source.name} (${source.id}).\n`);
      });
    });
}
