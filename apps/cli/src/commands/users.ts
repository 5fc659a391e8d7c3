import type { Command } from 'commander';

/** `user:create`: an owner who signs in to the dashboard with email and password. */
export function registerUserCommands(program: Command): void {
  program
    .command('user:create')
    .description(
      'create a dashboard owner (email + password); on a fresh install this claims the default CLI owner and its agents',
    )
    .requiredOption('--email <email>', 'the owner’s email, used to sign in')
    .requiredOption('--password <password>', 'at least 12 characters (prefer a passphrase)')
    .option('--json', 'print {"id", "email", "claimed"} as JSON')
    .action(async (options: { email: string; password: string; json?: boolean }) => {
      const { createOwnerAccount } = await import('@agent-otp/core');
      const { output, withCore } = await import('../runtime.js');
      await withCore(
        async (ctx, config) => {
          const { owner, claimed } = await createOwnerAccount(ctx, {
            email: options.email,
            password: options.password,
            channel: 'cli',
          });
          output(options.json, { id: owner.id, email: owner.email, claimed }, () =>
            [
              claimed
                ? `Owner ${owner.email} (${owner.id}) now has a password; the install's existing agents are theirs.`
                : `Created owner ${owner.email} (${owner.id}).`,
              `Sign in at ${config.publicUrl}/`,
            ].join('\n'),
          );
        },
        // Setting up the first owner before the first `serve` is a documented way to install.
        { mayCreateDatabase: true },
      );
    });
}
