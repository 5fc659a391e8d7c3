import type { Config } from '@agent-otp/config';
import type { GmailSettings, runEmailWatch } from '@agent-otp/email';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { serverUrl } from '../server-client.js';

/** `--imap-host` and friends override the variable of the same name. */
const IMAP_FLAGS = {
  imapHost: 'IMAP_HOST',
  imapPort: 'IMAP_PORT',
  imapUser: 'IMAP_USER',
  imapPassword: 'IMAP_PASSWORD',
  imapAccessToken: 'IMAP_ACCESS_TOKEN',
  imapTls: 'IMAP_TLS',
  imapMailbox: 'IMAP_MAILBOX',
  imapCaFile: 'IMAP_CA_FILE',
} as const;

type WatchFlags = { [K in keyof typeof IMAP_FLAGS]?: string } & {
  url?: string;
  token?: string;
  gmail?: boolean;
};

async function gmailSettings(config: Config): Promise<GmailSettings> {
  const { clientId, clientSecret } = config.email.gmail;
  if (!clientId || !clientSecret)
    throw new CliError('--gmail needs GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET (see docs/email.md)');
  const { readGmailToken } = await import('@agent-otp/email');
  const refreshToken = config.email.gmail.refreshToken ?? (await readGmailToken(config.dataDir, clientId));
  if (!refreshToken)
    throw new CliError(
      'no Gmail refresh token: run `agent-otp email:gmail-auth` first (or set GMAIL_REFRESH_TOKEN)',
    );
  return { ...config.email.gmail, clientId, clientSecret, refreshToken };
}

/** `agent-otp email:watch`: the mailbox connector as a standalone capture source. */
export function registerEmailWatchCommand(program: Command): void {
  const command = program
    .command('email:watch')
    .description(
      'watch a mailbox (IMAP IDLE, or Gmail with --gmail) next to it and send only encrypted codes to the relay',
    )
    .option('--url <url>', 'the relay (default AGENT_OTP_URL, else http://localhost:PORT)')
    .option('--token <token>', 'an email capture-source token cs_… (default AGENT_OTP_SOURCE_TOKEN)')
    .option('--gmail', 'watch Gmail through the Gmail API (after `agent-otp email:gmail-auth`)');
  for (const [flag, variable] of Object.entries(IMAP_FLAGS))
    command.option(
      `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <value>`,
      `overrides ${variable}`,
    );
  command.action(async (flags: WatchFlags) => {
    const { RelayError, runEmailWatch } = await import('@agent-otp/email');
    const { createLogger } = await import('@agent-otp/server/logger');
    const { cliConfig } = await import('../runtime.js');
    const overrides = Object.fromEntries(
      Object.entries(IMAP_FLAGS).map(([flag, variable]) => [
        variable,
        flags[flag as keyof typeof IMAP_FLAGS],
      ]),
    );
    const config = cliConfig(overrides);
    const token = flags.token ?? config.email.sourceToken;
    if (!token)
      throw new CliError('--token (or AGENT_OTP_SOURCE_TOKEN) is required: an email capture-source token');
    const gmail = flags.gmail ? await gmailSettings(config) : undefined;
    const logger = createLogger(config.logLevel, process.stderr, config.logFormat).child({
      component: 'email',
    });
    const url = serverUrl(config, flags.url);
    let running: Awaited<ReturnType<typeof runEmailWatch>>;
    try {
      running = await runEmailWatch({
        url,
        token,
        imap: config.email.imap,
        gmail,
        dataDir: config.dataDir,
        lookbackSeconds: config.lookbackSeconds,
        minConfidence: config.extractMinConfidence,
        logger,
      });
    } catch (error) {
      if (error instanceof RelayError || (error as Error).name === 'ConnectorConfigError')
        throw new CliError((error as Error).message);
      throw error;
    }
    const watched = [config.email.imap ? `IMAP ${config.email.imap.mailbox}` : '', gmail ? 'Gmail' : '']
      .filter(Boolean)
      .join(' and ');
    process.stderr.write(`Watching ${watched}; sending encrypted codes to ${url}. Ctrl-C stops.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void running.stop().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}
