/**
 * The MCP server's round trip (issue 11): one `request_otp` tool call with a test key, from
 * the MCP client's call to the result holding the decrypted code (create, self-approval,
 * long-poll, consume and decrypt inside the MCP process), over stdio (the real bin) and
 * streamable HTTP (`agent-otp-mcp --http`), against `agent-otp serve` on SQLite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createCliEnvironment, freePort } from '../../test-support/cli.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const CALLS = 200;
const WARM_UP = 5;
const MCP_BIN = fileURLToPath(new URL('../../packages/mcp/bin/agent-otp-mcp.js', import.meta.url));

async function measure(client: Client) {
  const timings: number[] = [];
  for (let i = 0; i < WARM_UP + CALLS; i++) {
    const started = performance.now();
    const result = (await client.callTool({
      name: 'request_otp',
      arguments: { reason: `bench ${i}`, sources: ['email'] },
    })) as CallToolResult;
    const elapsed = performance.now() - started;
    const code = (result.structuredContent as { code?: string } | undefined)?.code;
    if (result.isError || !code)
      throw new Error(`request_otp did not return a code: ${JSON.stringify(result)}`);
    if (i >= WARM_UP) timings.push(elapsed);
  }
  timings.sort((a, b) => a - b);
  const total = timings.reduce((sum, ms) => sum + ms, 0);
  return {
    calls: CALLS,
    p50Ms: round(percentile(timings, 50)),
    p99Ms: round(percentile(timings, 99)),
    callsPerSecond: round(CALLS / (total / 1000)),
  };
}

async function startHttp(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MCP_BIN, '--http', '--port', String(port)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 20_000;
  while (!output.includes('serving MCP over HTTP')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`agent-otp-mcp --http: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

export default async function bench(): Promise<Record<string, unknown>> {
  const cli = await createCliEnvironment('sqlite', {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
  });
  const server = await cli.serve();
  let http: ChildProcess | undefined;
  try {
    const { apiKey } = JSON.parse(
      (await cli.run(['agent:create', '--name', 'bench-mcp', '--test', '--json'])).stdout,
    ) as { apiKey: string };
    const env = { AGENT_OTP_API_KEY: apiKey, AGENT_OTP_URL: server.url };

    const stdioClient = new Client({ name: 'bench', version: '1.0.0' });
    await stdioClient.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [MCP_BIN],
        env: { PATH: process.env.PATH ?? '', ...env },
        stderr: 'ignore',
      }),
    );
    const stdio = await measure(stdioClient).finally(() => stdioClient.close());

    const port = await freePort();
    http = await startHttp(env, port);
    const httpClient = new Client({ name: 'bench', version: '1.0.0' });
    await httpClient.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    const streamableHttp = await measure(httpClient).finally(() => httpClient.close());
    return { testKey: true, relay: 'sqlite', stdio, streamableHttp };
  } finally {
    http?.kill('SIGTERM');
    await server.stop();
    await cli.cleanup();
  }
}
