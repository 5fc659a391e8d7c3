import type { Command } from 'commander';

/** `agent-otp serve`: the relay, until SIGINT/SIGTERM, then a graceful stop. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the relay (HTTP API, expiry sweeper) on PORT with DATA_DIR / DATABASE_URL')
    .action(async () => {
      const { ensureDefaultOwner, issueSetupToken } = await import('@agent-otp/core');
      const { startServer } = await import('@agent-otp/server');
      const { cliConfig } = await import('../runtime.js');
      const config = cliConfig();
      const server = await startServer(config);
      // A background promise nobody awaited that fails is logged, not fatal: exiting would
      // cut off every waiting agent. (An uncaught exception still ends the process: after
      // one, its state is unknown; a supervisor restarts it.)
      process.on('unhandledRejection', (reason) => {
        const err =
          reason instanceof Error ? { name: reason.name, stack: reason.stack } : { value: String(reason) };
        server.services.logger.error({ err }, 'unhandled promise rejection');
      });
      await ensureDefaultOwner(server.services.ctx).catch(() => undefined);
      // Until some owner has a password, the dashboard can only be set up through this link.
      const setup = await issueSetupToken(server.services.ctx);
      process.stderr.write(
        `Agent OTP relay on ${server.url} (${server.services.ctx.database.dialect}${
          config.databaseUrl ? '' : ` in ${config.dataDir}`
        }); API reference at ${server.url}/docs\n`,
      );
      if (setup)
        process.stderr.write(
          `First run: set up the dashboard owner at ${config.publicUrl}/setup?token=${setup.token}\n` +
            `  (one-time link, valid until ${setup.expiresAt}; or run \`agent-otp user:create --email E --password P\`)\n`,
        );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`${signal}: stopping gracefully…\n`);
          void server.stop().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
