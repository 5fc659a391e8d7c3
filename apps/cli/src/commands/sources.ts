import { readFile } from 'node:fs/promises';
import type { SourceWithToken } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** Reads a secret from a file, or stdin for `-`: never from argv, where `ps` and shell history see it. */
export async function readSecret(path: string, flag: string): Promise<string> {
  let text: string;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = await readFile(path, 'utf8');
    }
  } catch (error) {
    throw new CliError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const secret = text.trim();
  if (!secret) throw new CliError(`${flag}: ${path === '-' ? 'stdin' : path} is empty`);
  return secret;
}

/** How the one-time answer is printed: credentials once, then the values to type in. */
function describeCreated(created: SourceWithToken, verb: string): string {
  const { source, token, signingSecret, webhookUrl, setup } = created;
  const lines = [
    `${verb} ${source.kind} source ${source.name} (${source.id})${source.provider ? `, provider ${source.provider}` : ''}.`,
    `Token (shown once, store it now): ${token}`,
  ];
  if (signingSecret) lines.push(`Signing key (shown once, store it now): ${signingSecret}`);
  if (webhookUrl) lines.push(`Webhook URL: ${webhookUrl}`);
  if (setup?.fields.length) {
    lines.push('', 'Set up (docs/sms.md has the step-by-step recipe):');
    for (const field of setup.fields) lines.push(`  ${field.label}: ${field.value}`);
  }
  return lines.join('\n');
}

/** `source:create`, `source:list`, `source:rotate`, `source:revoke`. */
export function registerSourceCommands(program: Command): void {
  program
    .command('source:create')
    .description(
      'create a capture source for a phone app, SMS provider, mail connector or forwarder (token and keys shown once)',
    )
    .requiredOption('--kind <kind>', 'sms or email')
    .requiredOption('--name <name>', 'a name to recognise it by')
    .option('--provider <provider>', 'sms only: sms-gateway, twilio, telnyx or generic (default generic)')
    .option('--twilio-auth-token-file <path>', 'twilio: file holding the account Auth Token, or - for stdin')
    .option(
      '--telnyx-public-key <base64>',
      'telnyx: the account public key from the Telnyx portal (not secret)',
    )
    .option('--signed', 'generic: every message must carry an X-Signature HMAC')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print {"source", "token", "signingSecret", "webhookUrl", "setup"} as JSON')
    .action(
      async (options: {
        kind: string;
        name: string;
        provider?: string;
        twilioAuthTokenFile?: string;
        telnyxPublicKey?: string;
        signed?: boolean;
        user?: string;
        json?: boolean;
      }) => {
        const { createCaptureSource } = await import('@agent-otp/core');
        const { CreateSourceBody } = await import('@agent-otp/shared');
        const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
        const twilioAuthToken = options.twilioAuthTokenFile
          ? await readSecret(options.twilioAuthTokenFile, '--twilio-auth-token-file')
          : undefined;
        const parsed = CreateSourceBody.safeParse({
          kind: options.kind,
          name: options.name,
          provider: options.provider,
          twilioAuthToken,
          telnyxPublicKey: options.telnyxPublicKey,
          signed: options.signed,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = String(issue?.path[0] ?? 'kind');
          const flag =
            field === 'twilioAuthToken'
              ? 'twilio-auth-token-file'
              : field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
          throw new CliError(`--${flag}: ${issue?.message ?? 'invalid'}`, 'USAGE');
        }
        await withCore(async (ctx) => {
          const owner = await resolveOwner(ctx, options.user);
          const created = await createCaptureSource(ctx, {
            ownerId: owner.id,
            ...parsed.data,
            actor: cliActor(owner),
          });
          output(options.json, { id: created.source.id, ...created }, () =>
            describeCreated(created, 'Created'),
          );
        });
      },
    );

  program
    .command('source:rotate <sourceId>')
    .description(
      'issue a capture source a new token (and signing key, where the relay issued one), shown once',
    )
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (sourceId: string, options: { user?: string; json?: boolean }) => {
      const { rotateCaptureSource } = await import('@agent-otp/core');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const rotated = await rotateCaptureSource(ctx, {
          ownerId: owner.id,
          sourceId,
          actor: cliActor(owner),
        });
        output(options.json, { id: rotated.source.id, ...rotated }, () =>
          describeCreated(rotated, 'Rotated'),
        );
      });
    });

  program
    .command('source:list')
    .description('list capture sources and when each was last seen')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { listCaptureSources } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const sources = await listCaptureSources(ctx, owner.id);
        output(options.json, sources, () =>
          sources.length === 0
            ? 'No capture sources yet: create one with `agent-otp source:create --kind email --name NAME`.'
            : sources
                .map(
                  (s) =>
                    `${s.id}  ${s.kind}${s.provider ? `/${s.provider}` : ''}  ${s.name}  ${s.prefix}…  last seen ${s.lastSeenAt ?? 'never'}  ${s.messagesReceived} messages${s.lastError ? `  last error: ${s.lastError}` : ''}${s.revokedAt ? '  [revoked]' : ''}`,
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
      const { revokeCaptureSource } = await import('@agent-otp/core');
      const { cliActor, resolveOwner, withCore } = await import('../runtime.js');
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
