import { Command, CommanderError } from 'commander';
import { registerAgentCommands } from './commands/agents.js';
import { registerAuditCommands } from './commands/audit.js';
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
import { describeError } from './runtime.js';

const program = new Command('agent-otp')
  .description('Agent OTP: one verification code or permission at a time for AI agents, approved by you.')
  .showHelpAfterError()
  .exitOverride();

registerServeCommand(program);
registerAgentCommands(program);
registerWebhookCommands(program);
registerSourceCommands(program);
registerUserCommands(program);
registerRequestCommands(program);
registerHeldCommands(program);
registerPolicyCommands(program);
registerAuditCommands(program);
registerExtractCommand(program);
registerEmailWatchCommand(program);
registerGmailAuthCommand(program);
registerTelegramCommands(program);
registerMcpCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`agent-otp: ${describeError(error)}\n`);
    process.exitCode = 1;
  }
}
