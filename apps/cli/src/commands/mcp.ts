import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, parsePort } from '@orrisai/agent-otp-mcp/options';
import { type Command, InvalidArgumentError } from 'commander';

function portOption(text: string): number {
  try {
    return parsePort(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/**
 * `mcp`: runs the MCP server for one agent (stdio by default, streamable HTTP with --http).
 * It talks to the relay as that agent, over HTTP, like any SDK client; it never opens the
 * relay's database.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      "serve the agent's MCP tools (request_otp, request_permission, get_request_status, cancel_request) on stdio, or over HTTP with --http",
    )
    .option('--api-key <key>', "the agent's API key (default AGENT_OTP_API_KEY)")
    .option('--url <url>', 'the relay (default AGENT_OTP_URL, else http://localhost:8787)')
    .option('--http', 'serve streamable HTTP at /mcp instead of stdio')
    .option('--port <port>', `HTTP port (default ${DEFAULT_HTTP_PORT})`, portOption)
    .option('--host <host>', `HTTP interface (default ${DEFAULT_HTTP_HOST}; any other needs a token)`)
    .option('--token <token>', 'bearer token HTTP clients must send (default AGENT_OTP_MCP_TOKEN)')
    .action(
      async (options: {
        apiKey?: string;
        url?: string;
        http?: boolean;
        port?: number;
        host?: string;
        token?: string;
      }) => {
        // Loaded here, not at start-up: every other command would pay for the MCP SDK.
        const { runAgentOtpMcp } = await import('@orrisai/agent-otp-mcp');
        await runAgentOtpMcp(options);
      },
    );
}
