import { AgentSession } from './agent-session.js';
import { mcpEnvironment } from './environment.js';
import { serveAgentOtpHttp } from './http.js';
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT } from './options.js';
import { serveAgentOtpStdio } from './stdio.js';

/** How to run the MCP server; unset values come from the environment, then the defaults. */
export interface McpRunOptions {
  /** The agent's key (default AGENT_OTP_API_KEY). */
  apiKey?: string | undefined;
  /** The relay (default AGENT_OTP_URL, else http://localhost:8787). */
  url?: string | undefined;
  /** Serve streamable HTTP instead of stdio. */
  http?: boolean | undefined;
  host?: string | undefined;
  port?: number | undefined;
  /** HTTP bearer token (default AGENT_OTP_MCP_TOKEN). */
  token?: string | undefined;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * Runs the server until the host hangs up (stdio) or the process is told to stop (HTTP).
 * Only stderr is written to: on stdio, stdout belongs to the protocol.
 *
 * @example
 * await runAgentOtpMcp({ http: true, port: 8788 });
 */
export async function runAgentOtpMcp(options: McpRunOptions = {}): Promise<void> {
  const session = new AgentSession({ apiKey: options.apiKey, baseUrl: options.url });
  if (!options.http) {
    process.stderr.write(`agent-otp-mcp: serving on stdio for the relay at ${session.client.baseUrl}\n`);
    await serveAgentOtpStdio(session);
    return;
  }
  const running = await serveAgentOtpHttp(session, {
    host: options.host ?? DEFAULT_HTTP_HOST,
    port: options.port ?? DEFAULT_HTTP_PORT,
    token: options.token ?? mcpEnvironment().httpToken,
  });
  process.stderr.write(
    `agent-otp-mcp: serving MCP over HTTP at ${running.url} for ${session.client.baseUrl}\n`,
  );
  await waitForSignal();
  await running.close();
}
