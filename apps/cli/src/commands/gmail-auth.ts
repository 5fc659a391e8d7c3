import type { runGmailAuthFlow } from '@agent-otp/email';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** `agent-otp email:gmail-auth`: connect a Gmail account (read-only) once, keep the refresh token. */
export function registerGmailAuthCommand(program: Command): void {
  program
    .command('email:gmail-auth')
    .description(
      'authorize read-only Gmail access (OAuth2 desktop flow) and store the refresh token in DATA_DIR',
    )
    .option('--client-id <id>', 'overrides GMAIL_CLIENT_ID (a Google Cloud "Desktop app" OAuth client)')
    .option('--client-secret <secret>', 'overrides GMAIL_CLIENT_SECRET')
    .option('--print', 'print the refresh token instead of storing it (for GMAIL_REFRESH_TOKEN)')
    .option('--timeout <seconds>', 'how long to wait for the browser', '300')
    .action(async (flags: { clientId?: string; clientSecret?: string; print?: boolean; timeout: string }) => {
      const { GMAIL_READONLY_SCOPE, GoogleAuthError, runGmailAuthFlow, writeGmailToken } = await import(
        '@agent-otp/email'
      );
      const { cliConfig } = await import('../runtime.js');
      const config = cliConfig({ GMAIL_CLIENT_ID: flags.clientId, GMAIL_CLIENT_SECRET: flags.clientSecret });
      const { clientId, clientSecret, authUrl, tokenUrl } = config.email.gmail;
      if (!clientId || !clientSecret)
        throw new CliError(
          'GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET (or --client-id/--client-secret) are required',
        );
      const timeout = Number(flags.timeout);
      if (!Number.isInteger(timeout) || timeout < 10 || timeout > 3600)
        throw new CliError('--timeout must be a whole number of seconds between 10 and 3600');
      let result: Awaited<ReturnType<typeof runGmailAuthFlow>>;
      try {
        result = await runGmailAuthFlow({
          clientId,
          clientSecret,
          authUrl,
          tokenUrl,
          timeoutMs: timeout * 1000,
          onConsentUrl: (url) =>
            process.stderr.write(
              `Open this URL in a browser on this machine and allow read-only access:\n\n${url}\n\n`,
            ),
        });
      } catch (error) {
        if (error instanceof GoogleAuthError) throw new CliError(error.message);
        throw error;
      }
      if (!result.scope.split(' ').includes(GMAIL_READONLY_SCOPE))
        throw new CliError(`Google granted "${result.scope}" but not gmail.readonly; run the command again`);
      if (flags.print) {
        process.stdout.write(`${result.refreshToken}\n`);
        process.stderr.write('Set it as GMAIL_REFRESH_TOKEN; it grants read access to this mailbox.\n');
        return;
      }
      const path = await writeGmailToken(config.dataDir, {
        clientId,
        refreshToken: result.refreshToken,
        scope: result.scope,
        createdAt: new Date().toISOString(),
      });
      process.stdout.write(`Gmail connected (read-only). Refresh token stored in ${path} (mode 0600).\n`);
    });
}
