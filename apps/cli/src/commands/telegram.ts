import type { Config } from '@agent-otp/config';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** Alone, the bot cannot hear the server's in-process events (SQLite); it catches up this often. */
const STANDALONE_RECONCILE_MS = 2000;

function requireBotToken(config: Config): string {
  const token = config.telegram.botToken;
  if (!token) throw new CliError('set TELEGRAM_BOT_TOKEN (from @BotFather) first; see docs/telegram.md');
  return token;
}

async function botUsername(config: Config, token: string): Promise<string> {
  const { describeApiError, fetchBotUsername } = await import('@agent-otp/telegram');
  try {
    return await fetchBotUsername({ token, apiRoot: config.telegram.apiRoot });
  } catch (error) {
    const { errorCode, description, network } = describeApiError(error);
    if (errorCode === 401) throw new CliError('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized)');
    throw new CliError(
      `could not reach the Telegram Bot API: ${String(description ?? network ?? 'unknown error')}`,
    );
  }
}

async function runStandalone(config: Config, token: string): Promise<void> {
  if (config.telegram.webhookUrl)
    throw new CliError(
      'TELEGRAM_WEBHOOK_URL is set: webhook mode needs the HTTP server, so the bot runs inside `agent-otp serve`',
    );
  const { requireExistingDatabase } = await import('../runtime.js');
  const { createLogger } = await import('@agent-otp/server/logger');
  const { openCoreContext } = await import('@agent-otp/server/core-context');
  const { describeApiError, launchTelegramBot } = await import('@agent-otp/telegram');
  const { defineJob, defineService, JobRunner } = await import('@agent-otp/jobs');
  requireExistingDatabase(config);
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const { ctx, close } = await openCoreContext(config, { logger, crossProcessEvents: true });
  const bot = launchTelegramBot({
    ctx,
    logger: logger.child({ component: 'telegram' }),
    token,
    apiRoot: config.telegram.apiRoot,
    adminId: config.telegram.adminId,
  });
  const jobs = new JobRunner(logger.child({ component: 'jobs' }));
  jobs.add(defineService({ name: 'telegram bot', start: async () => bot }));
  jobs.add(
    defineJob({ name: 'telegram reconcile', everyMs: STANDALONE_RECONCILE_MS, run: () => bot.reconcile() }),
  );
  await jobs.start();
  process.stderr.write('Agent OTP Telegram bot starting (long polling); Ctrl-C stops it.\n');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`${signal}: stopping the bot…\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // A refused token ends the command with its message instead of idling.
    bot.ready.catch(() => resolve());
  });
  await jobs.stop();
  await close();
  await bot.ready.catch((error: unknown) => {
    throw new CliError(`the Telegram bot stopped: ${String(describeApiError(error).description ?? error)}`);
  });
}

/** `telegram` (the bot on its own) and `telegram:link` (a one-time deep link for an owner). */
export function registerTelegramCommands(program: Command): void {
  program
    .command('telegram')
    .description(
      'run the Telegram approval bot on its own (`serve` already runs it when TELEGRAM_BOT_TOKEN is set)',
    )
    .action(async () => {
      const { cliConfig } = await import('../runtime.js');
      const config = cliConfig();
      await runStandalone(config, requireBotToken(config));
    });

  program
    .command('telegram:link')
    .description('print a one-time link that connects your Telegram account to the relay')
    .option('--user <email>', 'owner to link (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { createTelegramLinkToken } = await import('@agent-otp/core');
      const { telegramDeepLink } = await import('@agent-otp/telegram');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx, config) => {
        const token = requireBotToken(config);
        const owner = await resolveOwner(ctx, options.user);
        const username = await botUsername(config, token);
        const link = await createTelegramLinkToken(ctx, { ownerId: owner.id, actor: cliActor(owner) });
        const url = telegramDeepLink(username, link.token);
        output(
          options.json,
          { url, bot: username, owner: owner.email, expiresAt: link.expiresAt },
          () =>
            `Open this link on the phone where you use Telegram and press Start (works once, until ${link.expiresAt}):\n${url}\n` +
            `It links that Telegram account to ${owner.email}; approval requests then arrive in that chat.`,
        );
      });
    });
}
