import { fileURLToPath } from 'node:url';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CliEnvironment } from '../../../../test-support/cli.js';

export const MCP_BIN = fileURLToPath(new URL('../../bin/agent-otp-mcp.js', import.meta.url));

/** An MCP client connected to a server, and what that server wrote to stderr. */
export interface ConnectedClient {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns `command args` as an MCP stdio server (the real bin) and connects the SDK's client. */
export async function connectStdio(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<ConnectedClient> {
  const transport = new StdioClientTransport({
    command,
    args,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
    ...(cwd === undefined ? {} : { cwd }),
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: 'agent-otp-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Connects the SDK's client to a streamable HTTP endpoint, with a bearer token if given. */
export async function connectHttp(url: string, token?: string): Promise<ConnectedClient> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name: 'agent-otp-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => '', close: () => client.close() };
}

/** Calls a tool and returns its result (tool errors are results, not exceptions). */
export async function callTool(
  connected: ConnectedClient,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  // Longer than any wait a test asks the tool for, so the client never gives up first.
  return (await connected.client.callTool({ name, arguments: args }, { timeout: 150_000 })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

/** What the owner does at a terminal: waits for the request to show in `agent-otp pending`. */
export async function waitForPendingId(
  cli: CliEnvironment,
  reason: string,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listed = await cli.run(['pending', '--json']);
    if (listed.code === 0) {
      const found = (JSON.parse(listed.stdout) as Array<{ id: string; reason: string }>).find(
        (request) => request.reason === reason,
      );
      if (found) return found.id;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no pending request "${reason}" within ${timeoutMs} ms`);
}

/** Creates an agent with the CLI and returns its key (shown once). */
export async function createAgentKey(cli: CliEnvironment, name: string, test = false): Promise<string> {
  const created = await cli.run(['agent:create', '--name', name, '--json', ...(test ? ['--test'] : [])]);
  if (created.code !== 0) throw new Error(`agent:create failed: ${created.stderr}`);
  return (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
}
