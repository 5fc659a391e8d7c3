import { Command } from 'commander';
import { registerAgentCommands } from './commands/agents.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerAuditListCommand } from './commands/audit-list.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerConfigCheckCommand } from './commands/config-check.js';
import { registerEmailWatchCommand } from './commands/email-watch.js';
import { registerExtractCommand } from './commands/extract.js';
import { registerGmailAuthCommand } from './commands/gmail-auth.js';
import { registerHeldCommands } from './commands/held.js';
import { registerMailboxCommands } from './commands/mailboxes.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerPolicyCommands } from './commands/policies.js';
import { registerPolicyUpdateCommands } from './commands/policy-update.js';
import { registerRequestListCommand } from './commands/request-list.js';
import { registerRequestCommands } from './commands/requests.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSourceCommands } from './commands/sources.js';
import { registerTelegramCommands } from './commands/telegram.js';
import { registerUserCommands } from './commands/users.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { cliVersion } from './version.js';

/**
 * The whole `agent-otp` command tree, built without running anything: main.ts parses argv
 * with it, and tests walk it (every command documented, every command completed).
 *
 * Command files import only commander, types and light helpers at the top; an action imports
 * what it needs (the database, the relay's packages) when it runs. So `--help` loads no
 * relay code, and `pending` does not load the HTTP server, mail or Telegram packages.
 *
 * @example
 * const names = buildProgram().commands.map((command) => command.name());
 */
export function buildProgram(options: { json?: boolean } = {}): Command {
  const program = new Command('agent-otp')
    .description('Agent OTP: one verification code or permission at a time for AI agents, approved by you.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    // Under --json a failure is one JSON object on stderr, so Commander's own text is held back.
    .configureOutput({ writeErr: (text) => (options.json ? undefined : process.stderr.write(text)) })
    .exitOverride();

  registerServeCommand(program);
  registerConfigCheckCommand(program);
  registerAgentCommands(program);
  registerWebhookCommands(program);
  registerSourceCommands(program);
  registerUserCommands(program);
  registerRequestCommands(program);
  registerRequestListCommand(program);
  registerHeldCommands(program);
  registerMailboxCommands(program);
  registerPolicyCommands(program);
  registerPolicyUpdateCommands(program);
  registerAuditListCommand(program);
  registerAuditCommands(program);
  registerBackupCommands(program);
  registerExtractCommand(program);
  registerEmailWatchCommand(program);
  registerGmailAuthCommand(program);
  registerTelegramCommands(program);
  registerMcpCommand(program);
  registerCompletionCommand(program);
  return program;
}
