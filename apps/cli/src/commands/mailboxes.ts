import type { Mailbox, MailboxList, MailboxTestResult } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { callServerAsOwner, serverUrl } from '../server-client.js';
import { readSecret } from './sources.js';

interface OwnerOptions {
  url?: string;
  user?: string;
  json?: boolean;
}

interface AddOptions extends OwnerOptions {
  name: string;
  preset?: string;
  host?: string;
  port?: string;
  tls?: string;
  login: string;
  folder?: string;
  passwordFile?: string;
}

/** One mailbox and its health in a terminal: what it is, how it is doing, what went wrong last. */
function describeMailbox(mailbox: Mailbox): string {
  const { health } = mailbox;
  const where =
    'host' in mailbox.settings
      ? `${mailbox.settings.login} at ${mailbox.settings.host}:${mailbox.settings.port} (${mailbox.settings.tls}), ${mailbox.settings.folder}`
      : mailbox.settings.address;
  return [
    `${mailbox.id}  ${mailbox.name}  ${mailbox.kind}: ${where}`,
    `  ${health.state} since ${health.stateSince ?? 'start'}; last message ${health.lastMessageAt ?? 'never'}; reconnect attempts ${health.reconnectAttempts}${health.runningOn ? `; running on ${health.runningOn}` : ''}`,
    ...(health.lastError ? [`  last error: ${health.lastError}`] : []),
  ].join('\n');
}

function describeTest(result: MailboxTestResult): string {
  return [
    ...result.steps.map(
      (step) => `  ${step.ok ? 'ok  ' : 'FAIL'} ${step.step.padEnd(6)} ${step.ms} ms  ${step.message}`,
    ),
    result.message,
  ].join('\n');
}

/** The password: from --password-file (a path, or `-` for stdin), else piped on stdin; never argv. */
async function readPassword(passwordFile: string | undefined): Promise<string> {
  if (passwordFile) return readSecret(passwordFile, '--password-file');
  if (process.stdin.isTTY)
    throw new CliError(
      'give the password with --password-file PATH, or pipe it on stdin (--password-file -); it is never taken as an argument',
      'USAGE',
    );
  return readSecret('-', 'stdin');
}

/** The IMAP settings from the flags, a preset filling in the server the flags leave out. */
async function settingsFrom(options: AddOptions) {
  const { mailboxPreset } = await import('@agent-otp/shared');
  const preset = options.preset ? mailboxPreset(options.preset) : undefined;
  if (options.preset && !preset)
    throw new CliError(
      `--preset: no preset ${options.preset} (gmail, outlook, icloud, fastmail, yahoo)`,
      'USAGE',
    );
  const host = options.host ?? preset?.host;
  const port = options.port !== undefined ? Number(options.port) : preset?.port;
  const tls = options.tls ?? preset?.tls ?? 'implicit';
  if (!host) throw new CliError('--host is required (or --preset)', 'USAGE');
  if (port === undefined || !Number.isInteger(port))
    throw new CliError('--port must be a whole number (or --preset)', 'USAGE');
  return {
    host,
    port,
    tls,
    login: options.login,
    ...(options.folder ? { folder: options.folder } : {}),
    ...(preset ? { preset: preset.id } : {}),
  };
}

/** Runs `fn` with the owner a command acts for and the running server's URL. */
async function asOwner<T>(
  options: OwnerOptions,
  fn: (
    call: <R>(path: string, init: { method: 'GET' | 'POST' | 'DELETE'; body?: unknown }) => Promise<R>,
  ) => Promise<T>,
): Promise<T> {
  const { resolveOwner, withCore } = await import('../runtime.js');
  return withCore(async (ctx, config) => {
    const owner = await resolveOwner(ctx, options.user);
    const baseUrl = serverUrl(config, options.url);
    return fn((path, init) => callServerAsOwner(ctx, owner, baseUrl, path, init));
  });
}

const ownerFlags = (command: Command) =>
  command
    .option('--url <url>', 'server URL (default AGENT_OTP_URL or http://localhost:PORT)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON');

/**
 * `mailbox:add`, `mailbox:list`, `mailbox:test`, `mailbox:remove`: an owner's mailboxes,
 * through the running server, so its supervisor starts or stops the connector at once.
 */
export function registerMailboxCommands(program: Command): void {
  ownerFlags(
    program
      .command('mailbox:add')
      .description('connect an IMAP mailbox; the running server starts watching it at once')
      .requiredOption('--name <name>', 'your label for it')
      .requiredOption('--login <login>', 'the IMAP login (usually the address)')
      .option('--preset <id>', 'fill in the server: gmail, outlook, icloud, fastmail, yahoo')
      .option('--host <host>', 'IMAP server')
      .option('--port <port>', 'IMAP port (993 for TLS, 143 for STARTTLS)')
      .option('--tls <mode>', 'implicit, starttls, or none (this machine only)')
      .option('--folder <folder>', 'folder to watch (default INBOX)')
      .option('--password-file <path>', 'file holding the password or app password; - for stdin'),
  ).action(async (options: AddOptions) => {
    const settings = await settingsFrom(options);
    const password = await readPassword(options.passwordFile);
    const { output } = await import('../runtime.js');
    const mailbox = await asOwner(options, (call) =>
      call<Mailbox>('/api/v1/mailboxes', {
        method: 'POST',
        body: { kind: 'imap', name: options.name, settings, password },
      }),
    );
    output(
      options.json,
      mailbox,
      () => `Connected ${mailbox.name} (${mailbox.id}); the relay is connecting to it.`,
    );
  });

  ownerFlags(program.command('mailbox:list').description('your mailboxes and how each is doing')).action(
    async (options: OwnerOptions) => {
      const { output } = await import('../runtime.js');
      const { mailboxes } = await asOwner(options, (call) =>
        call<MailboxList>('/api/v1/mailboxes', { method: 'GET' }),
      );
      output(options.json, mailboxes, () =>
        mailboxes.length === 0
          ? 'No mailbox is connected (mailbox:add connects one).'
          : mailboxes.map(describeMailbox).join('\n'),
      );
    },
  );

  ownerFlags(
    program.command('mailbox:test <id>').description('test a saved mailbox: DNS, TCP, TLS, login, folder'),
  ).action(async (id: string, options: OwnerOptions) => {
    const { output } = await import('../runtime.js');
    const mailboxId = await parseMailboxId(id);
    const result = await asOwner(options, (call) =>
      call<MailboxTestResult>(`/api/v1/mailboxes/${mailboxId}/test`, { method: 'POST' }),
    );
    output(options.json, result, () => describeTest(result));
    if (!result.ok) process.exitCode = 1;
  });

  ownerFlags(
    program
      .command('mailbox:remove <id>')
      .description('remove a mailbox: its connector stops and its password is erased'),
  ).action(async (id: string, options: OwnerOptions) => {
    const { output } = await import('../runtime.js');
    const mailboxId = await parseMailboxId(id);
    await asOwner(options, (call) => call<undefined>(`/api/v1/mailboxes/${mailboxId}`, { method: 'DELETE' }));
    output(
      options.json,
      { id: mailboxId, removed: true },
      () => `Removed ${mailboxId}; its password is erased.`,
    );
  });

  program
    .command('credentials:rotate-key')
    .description('re-seal every mailbox password under a new credential key (stop every instance first)')
    .option('--new-key-file <path>', 'the new key, when CREDENTIAL_KEY or CREDENTIAL_KEY_FILE is set')
    .option('--json', 'print JSON')
    .action(async (options: { newKeyFile?: string; json?: boolean }) => {
      const { rotateCredentialKey } = await import('@agent-otp/server');
      const { output, withCore } = await import('../runtime.js');
      const rotation = await withCore((ctx, config) =>
        rotateCredentialKey(config, ctx.database, { newKeyFile: options.newKeyFile }),
      );
      output(options.json, rotation, () =>
        [
          `Re-sealed ${rotation.resealed} mailbox password(s) under the new key.`,
          ...(rotation.keyFile
            ? [`New key: ${rotation.keyFile}; old key kept as ${rotation.previousKeyFile}.`]
            : []),
          rotation.keyFile
            ? 'Copy the new key file to every instance sharing this database, then start them.'
            : 'Now set CREDENTIAL_KEY or CREDENTIAL_KEY_FILE to the new key on every instance, then start them.',
        ].join('\n'),
      );
    });
}

async function parseMailboxId(id: string): Promise<string> {
  const { MailboxIdSchema } = await import('@agent-otp/shared');
  if (!MailboxIdSchema.safeParse(id).success)
    throw new CliError(`${id} is not a mailbox ID (mbx_…)`, 'USAGE');
  return id;
}
