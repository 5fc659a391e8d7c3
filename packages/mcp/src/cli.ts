import { parseArgs } from 'node:util';
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, parsePort } from './options.js';
import { runAgentOtpMcp } from './run.js';
import { MCP_SERVER_VERSION } from './server.js';

const USAGE = `Usage: agent-otp-mcp [--http [--port N] [--host H] [--token T]] [--api-key K] [--url U]

MCP server for Agent OTP: lets an MCP host ask its owner for one verification code or one permission.

  --api-key K   the agent's API key (default AGENT_OTP_API_KEY)
  --url U       the relay (default AGENT_OTP_URL, else http://localhost:8787)
  --http        serve streamable HTTP at /mcp instead of stdio
  --port N      HTTP port (default ${DEFAULT_HTTP_PORT})
  --host H      HTTP interface (default ${DEFAULT_HTTP_HOST}; any other needs a token)
  --token T     HTTP bearer token clients must send (default AGENT_OTP_MCP_TOKEN)
  --version     print the version
  --help        print this help
`;

/**
 * The `agent-otp-mcp` command. Errors go to stderr with exit code 1; stdout carries only the
 * protocol (stdio) or nothing (HTTP).
 *
 * @example
 * await main(['--http', '--port', '8788']);
 */
export async function main(argv: string[]): Promise<void> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'api-key': { type: 'string' },
        url: { type: 'string' },
        http: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help || values.version) {
      process.stderr.write(values.help ? USAGE : `${MCP_SERVER_VERSION}\n`);
      return;
    }
    await runAgentOtpMcp({
      apiKey: values['api-key'],
      url: values.url,
      http: values.http,
      host: values.host,
      port: values.port === undefined ? undefined : parsePort(values.port),
      token: values.token,
    });
  } catch (error) {
    process.stderr.write(`agent-otp-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
