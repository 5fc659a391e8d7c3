// The MCP Inspector's CLI mode (what a developer runs to check a set-up without a model)
// launching the real bin over stdio and listing its tools. The listing needs no relay.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { MCP_BIN } from './support/mcp-clients.js';

const INSPECTOR = fileURLToPath(new URL('../../../node_modules/.bin/mcp-inspector', import.meta.url));

function inspect(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      INSPECTOR,
      [
        '--cli',
        '-e',
        'AGENT_OTP_API_KEY=ak_test_inspector',
        '-e',
        'AGENT_OTP_URL=http://127.0.0.1:9',
        ...args,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

it('the inspector CLI lists the four tools of the stdio server', async () => {
  const result = await inspect([process.execPath, MCP_BIN, '--method', 'tools/list']);
  expect(result.code, result.stderr).toBe(0);
  const { tools } = JSON.parse(result.stdout) as { tools: Array<{ name: string; description: string }> };
  expect(tools.map((tool) => tool.name).sort()).toEqual([
    'cancel_request',
    'get_request_status',
    'request_otp',
    'request_permission',
  ]);
}, 90_000);

it('the inspector CLI gets a tool error, not a crash, when the relay cannot be reached', async () => {
  const result = await inspect([
    process.execPath,
    MCP_BIN,
    '--method',
    'tools/call',
    '--tool-name',
    'get_request_status',
    '--tool-arg',
    'requestId=otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  ]);
  // The inspector prints the result and exits non-zero for a tool error.
  expect(result.code, result.stderr).not.toBe(0);
  const answer = JSON.parse(result.stdout) as { isError: boolean; content: Array<{ text: string }> };
  expect(answer.isError).toBe(true);
  expect(answer.content[0]?.text).toContain('NETWORK_ERROR');
}, 90_000);
