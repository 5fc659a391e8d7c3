import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { AgentSession } from './agent-session.js';
import { createAgentOtpMcpServer } from './server.js';

/**
 * Serves the tools over this process's stdin/stdout. Nothing else may write to stdout (it
 * carries the protocol): diagnostics go to stderr, and codes go only into tool results.
 * Resolves when the host closes stdin.
 *
 * @example
 * await serveAgentOtpStdio(new AgentSession());
 */
export function serveAgentOtpStdio(session: AgentSession): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const handle = serveStdio(() => createAgentOtpMcpServer(session), {
      onerror: (error) => process.stderr.write(`agent-otp-mcp: ${error.message}\n`),
    });
    const close = () => {
      if (closing) return;
      closing = true;
      void handle.close().finally(resolve);
    };
    process.stdin.once('end', close);
    process.stdin.once('close', close);
  });
}
