import { Command, CommanderError } from 'commander';
import { registerAgentCommands } from './commands/agents.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerConfigCheckCommand } from './commands/config-check.js';
import { registerEmailWatchCommand } from './commands/email-watch.js';
import { registerExtractCommand } from './commands/extract.js';
import { registerGmailAuthCommand } from './commands/gmail-auth.js';
import { registerHeldCommands } from './commands/held.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerPolicyCommands } from './commands/policies.js';
import { registerRequestCommands } from './commands/requests.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSourceCommands } from './commands/sources.js';
import { registerTelegramCommands } from './commands/telegram.js';
import { registerUserCommands } from './commands/users.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { classifyFailure } from './exit-codes.js';
import { cliVersion } from './version.js';

// Under --json a failure is one JSON object on stderr, so Commander's own text is held back.
const json = process.argv.includes('--json');

const program = new Command('agent-otp')
  .description('Agent OTP: one verification code or permission at a time for AI agents, approved by you.')
  .version(cliVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => (json ? undefined : process.stderr.write(text)) })
  .exitOverride();

// Command files import only commander, types and light helpers at the top; an action imports
// what it needs (the database, the relay's packages) when it runs. So `--help` loads no
// relay code, and `pending` does not load the HTTP server, mail or Telegram packages.
registerServeCommand(program);
registerConfigCheckCommand(program);
registerAgentCommands(program);
registerWebhookCommands(program);
registerSourceCommands(program);
registerUserCommands(program);
registerRequestCommands(program);
registerHeldCommands(program);
registerPolicyCommands(program);
registerAuditCommands(program);
registerBackupCommands(program);
registerExtractCommand(program);
registerEmailWatchCommand(program);
registerGmailAuthCommand(program);
registerTelegramCommands(program);
registerMcpCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const failure = classifyFailure(error);
  process.exitCode = failure.exitCode;
  if (failure.exitCode !== 0) {
    if (json)
      process.stderr.write(
        `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`,
      );
    // Commander already printed its own usage errors.
    else if (!(error instanceof CommanderError)) process.stderr.write(`agent-otp: ${failure.message}\n`);
  }
}
