import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/**
 * A new password from stdin (`--password-stdin`: everything piped, less one final line
 * break, so spaces inside or around it are kept), else typed at a prompt that does not echo
 * it, twice. Never from an argument, which `ps` and shell history would show.
 */
async function readNewPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    const text = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (!text) throw new CliError('--password-stdin: stdin is empty', 'USAGE');
    return text;
  }
  if (!process.stdin.isTTY)
    throw new CliError(
      'pipe the new password with --password-stdin, or run this in a terminal to type it',
      'USAGE',
    );
  const first = await promptHidden('New password: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new CliError('the two passwords differ; nothing was changed', 'USAGE');
  return first;
}

/** Asks on stderr and reads one line from the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stderr.write(chunk, encoding);
      callback();
    },
  });
  const prompt = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    prompt.question(question, (answer) => {
      prompt.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

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

  program
    .command('user:reset-password')
    .description(
      'set a dashboard owner’s password (for one who forgot it) and end all of their browser sessions; recorded in the audit log',
    )
    .requiredOption('--email <email>', 'the owner’s email')
    .option('--password-stdin', 'read the new password from stdin instead of prompting for it')
    .option('--json', 'print {"id", "email", "endedSessions"} as JSON')
    .action(async (options: { email: string; passwordStdin?: boolean; json?: boolean }) => {
      const password = await readNewPassword(options.passwordStdin);
      const { resetOwnerPassword } = await import('@agent-otp/core');
      const { output, withCore } = await import('../runtime.js');
      await withCore(async (ctx, config) => {
        const { owner, endedSessions } = await resetOwnerPassword(ctx, {
          email: options.email,
          newPassword: password,
        });
        output(options.json, { id: owner.id, email: owner.email, endedSessions }, () =>
          [
            `New password set for ${owner.email}; ended ${endedSessions} browser session${endedSessions === 1 ? '' : 's'}.`,
            `Sign in at ${config.publicUrl}/sign-in`,
          ].join('\n'),
        );
      });
    });
}
