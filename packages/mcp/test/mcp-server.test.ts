// The MCP server as a host runs it: the real bin (stdio) and `agent-otp mcp --http`, driven
// by the MCP SDK's own client, against a relay started by the CLI; the owner approves with
// the CLI from another process and the code arrives through the capture command.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliEnvironment, createCliEnvironment, freePort } from '../../../test-support/cli.js';
import { describeEachDialect } from '../../../test-support/services.js';
import {
  callTool,
  connectHttp,
  connectStdio,
  createAgentKey,
  MCP_BIN,
  textOf,
  waitForPendingId,
} from './support/mcp-clients.js';

const TOOL_NAMES = ['cancel_request', 'get_request_status', 'request_otp', 'request_permission'];

/** Starts `agent-otp mcp --http` and resolves once it listens. */
async function startCliHttp(env: Record<string, string>, port: number, token: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'mcp', '--http', '--port', String(port), '--token', token],
    { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  // Generous: the CLI loads the whole relay toolchain before it gets to the MCP server.
  const deadline = Date.now() + 60_000;
  while (!output.includes('serving MCP over HTTP')) {
    if (child.exitCode !== null) throw new Error(`agent-otp mcp --http exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`agent-otp mcp --http did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describeEachDialect('MCP server against a live relay', (dialect) => {
  let cli: CliEnvironment;
  let relay: Awaited<ReturnType<CliEnvironment['serve']>>;
  let liveKey: string;
  let testKey: string;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    relay = await cli.serve();
    liveKey = await createAgentKey(cli, 'mcp-live');
    testKey = await createAgentKey(cli, 'mcp-test', true);
  }, 120_000);
  afterAll(async () => {
    await relay?.stop();
    await cli?.cleanup();
  });

  const transports = {
    stdio: async (apiKey: string) => {
      const connected = await connectStdio(process.execPath, [MCP_BIN], {
        AGENT_OTP_API_KEY: apiKey,
        AGENT_OTP_URL: relay.url,
      });
      return { connected, logs: connected.stderr, stop: () => connected.close() };
    },
    http: async (apiKey: string) => {
      const server = await startCliHttp(
        { ...cli.env, AGENT_OTP_API_KEY: apiKey, AGENT_OTP_URL: relay.url },
        await freePort(),
        'mcp-test-token',
      );
      const connected = await connectHttp(server.url, 'mcp-test-token');
      return {
        connected,
        logs: server.output,
        stop: async () => {
          await connected.close();
          await server.stop();
        },
      };
    },
  };

  for (const [transportName, connect] of Object.entries(transports)) {
    describe(`over ${transportName}`, () => {
      let live: Awaited<ReturnType<typeof connect>>;
      let test: Awaited<ReturnType<typeof connect>>;
      beforeAll(async () => {
        [live, test] = await Promise.all([connect(liveKey), connect(testKey)]);
      }, 60_000);
      afterAll(async () => {
        await live?.stop();
        await test?.stop();
      });

      it('lists the four tools, each with a description and an input schema', async () => {
        const { tools } = await live.connected.client.listTools();
        expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
        for (const tool of tools) {
          expect(tool.description?.length).toBeGreaterThan(80);
          expect(tool.inputSchema.type).toBe('object');
        }
        const requestOtp = tools.find((tool) => tool.name === 'request_otp')!;
        expect(requestOtp.inputSchema.required).toEqual(['reason']);
        expect(Object.keys(requestOtp.inputSchema.properties ?? {})).toEqual(
          expect.arrayContaining(['reason', 'expectedSender', 'sources', 'senderPattern', 'timeoutSeconds']),
        );
      });

      it('request_otp with a test key returns the code, and the request is then consumed', async () => {
        const result = await callTool(test.connected, 'request_otp', {
          reason: `Test sign-up (${transportName})`,
          expectedSender: 'Acme',
          sources: ['email'],
        });
        expect(result.isError).toBeFalsy();
        const data = result.structuredContent as { code: string; requestId: string; status: string };
        expect(data).toMatchObject({ status: 'consumed', isTest: true, source: 'email' });
        expect(data.code).toMatch(/^\d{6}$/);
        expect(textOf(result)).toContain(data.code);

        const status = await callTool(test.connected, 'get_request_status', { requestId: data.requestId });
        expect(status.structuredContent).toMatchObject({ requestId: data.requestId, status: 'consumed' });
        expect(status.structuredContent).not.toHaveProperty('code');
        expect(test.logs()).not.toContain(data.code);
      });

      it('request_otp with a live key waits for the CLI approval and the captured email, and returns the code', async () => {
        const reason = `Sign up for Acme website (${dialect}, ${transportName})`;
        const code = transportName === 'stdio' ? '847291' : '562093';
        const call = callTool(live.connected, 'request_otp', {
          reason,
          expectedSender: 'Acme',
          sources: ['email'],
          senderPattern: '*@acme.com',
          timeoutSeconds: 100,
        });
        const id = await waitForPendingId(cli, reason);
        expect((await cli.run(['approve', id])).code).toBe(0);
        const captured = await cli.run([
          'capture',
          '--source',
          'email',
          '--from',
          'noreply@acme.com',
          '--subject',
          'Your Acme verification code',
          '--text',
          `Your code is ${code}`,
          '--json',
        ]);
        expect(captured.code).toBe(0);
        const result = await call;
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toMatchObject({
          requestId: id,
          status: 'consumed',
          code,
          sender: 'noreply@acme.com',
          source: 'email',
          isTest: false,
        });
        // The code exists only in the tool result: not in the MCP process's output, not in the relay's.
        expect(live.logs()).not.toContain(code);
        expect(relay.output()).not.toContain(code);
      }, 120_000);

      it('a code that arrives after request_otp returned is read by get_request_status', async () => {
        const reason = `Confirm the Acme email (${dialect}, ${transportName})`;
        const code = transportName === 'stdio' ? '730418' : '904127';
        const first = await callTool(live.connected, 'request_otp', {
          reason,
          sources: ['email'],
          senderPattern: '*@acme.com',
          timeoutSeconds: 1,
        });
        const { requestId } = first.structuredContent as { requestId: string };
        expect(first.structuredContent).toMatchObject({ status: 'pending_approval' });
        const waiting = callTool(live.connected, 'get_request_status', { requestId, timeoutSeconds: 100 });
        expect(await waitForPendingId(cli, reason)).toBe(requestId);
        expect((await cli.run(['approve', requestId])).code).toBe(0);
        const captured = await cli.run([
          'capture',
          '--source',
          'email',
          '--from',
          'noreply@acme.com',
          '--text',
          `Code ${code}`,
        ]);
        expect(captured.code).toBe(0);
        const result = await waiting;
        expect(result.structuredContent).toMatchObject({ requestId, status: 'consumed', code });
      }, 120_000);

      it('request_permission returns pending, then get_request_status returns the CLI approval and the token', async () => {
        const reason = `Send the invoice (${dialect}, ${transportName})`;
        const first = await callTool(live.connected, 'request_permission', {
          action: 'gmail.send',
          resource: 'email:client@example.com',
          scope: { max_emails: 1 },
          context: { reason },
          timeoutSeconds: 1,
        });
        expect(first.isError).toBeFalsy();
        const pending = first.structuredContent as { requestId: string; status: string };
        expect(pending.status).toBe('pending_approval');
        expect(pending.requestId).toMatch(/^prm_/);
        expect(await waitForPendingId(cli, reason)).toBe(pending.requestId);

        const waiting = callTool(live.connected, 'get_request_status', {
          requestId: pending.requestId,
          timeoutSeconds: 100,
        });
        expect((await cli.run(['approve', pending.requestId])).code).toBe(0);
        const decided = await waiting;
        expect(decided.isError).toBeFalsy();
        expect(decided.structuredContent).toMatchObject({
          requestId: pending.requestId,
          status: 'approved',
          scope: { max_emails: 1 },
        });
        expect((decided.structuredContent as { token: string }).token).toMatch(/^otp_/);
      }, 120_000);

      it('get_request_status tells the model why the owner denied (issue 15)', async () => {
        const reason = `Drop the users table (${dialect}, ${transportName})`;
        const first = await callTool(live.connected, 'request_permission', {
          action: 'db.drop_table',
          resource: 'postgres://prod/users',
          context: { reason },
          timeoutSeconds: 1,
        });
        const { requestId } = first.structuredContent as { requestId: string };
        expect(await waitForPendingId(cli, reason)).toBe(requestId);
        const denial = 'Use the staging database instead';
        expect((await cli.run(['deny', requestId, '--reason', denial])).code).toBe(0);
        const status = await callTool(live.connected, 'get_request_status', { requestId });
        expect(status.structuredContent).toMatchObject({ requestId, status: 'denied', denialReason: denial });
        expect(textOf(status)).toContain(`The owner's reason: "${denial}".`);
      }, 120_000);

      it('cancel_request withdraws a pending OTP request', async () => {
        const reason = `Log in to Acme (${dialect}, ${transportName})`;
        const first = await callTool(live.connected, 'request_otp', { reason, timeoutSeconds: 1 });
        const { requestId, status } = first.structuredContent as { requestId: string; status: string };
        expect(status).toBe('pending_approval');
        expect(textOf(first)).toContain('get_request_status');

        const cancelled = await callTool(live.connected, 'cancel_request', { requestId });
        expect(cancelled.isError).toBeFalsy();
        expect(cancelled.structuredContent).toEqual({ requestId, status: 'cancelled' });
        const status2 = await callTool(live.connected, 'get_request_status', { requestId });
        expect(status2.structuredContent).toMatchObject({ requestId, status: 'cancelled' });
      });

      it('cancel_request withdraws a pending permission request', async () => {
        const first = await callTool(live.connected, 'request_permission', {
          action: 'stripe.refund',
          resource: 'charge:ch_123',
          context: { reason: `Refund (${dialect}, ${transportName})` },
          timeoutSeconds: 1,
        });
        const { requestId } = first.structuredContent as { requestId: string };
        const cancelled = await callTool(live.connected, 'cancel_request', { requestId });
        expect(cancelled.isError).toBeFalsy();
        expect(textOf(cancelled)).toContain('token');
        const status = await callTool(live.connected, 'get_request_status', { requestId });
        expect(status.structuredContent).toMatchObject({ requestId, status: 'cancelled' });
      });

      it('answers bad input and relay refusals with tool errors, and keeps serving', async () => {
        const empty = await callTool(live.connected, 'request_otp', { reason: '' });
        expect(empty.isError).toBe(true);
        expect(textOf(empty)).toContain('reason is required');

        const badSources = await callTool(live.connected, 'request_otp', { reason: 'x', sources: ['fax'] });
        expect(badSources.isError).toBe(true);
        expect(textOf(badSources)).toMatch(/sources/);

        const badId = await callTool(live.connected, 'cancel_request', { requestId: 'not-an-id' });
        expect(badId.isError).toBe(true);
        expect(textOf(badId)).toContain('requestId must be an OTP request id (otp_…) or a permission id');

        const unknown = await callTool(live.connected, 'get_request_status', {
          requestId: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
        });
        expect(unknown.isError).toBe(true);
        expect(textOf(unknown)).toMatch(/NOT_FOUND/);

        const { tools } = await live.connected.client.listTools();
        expect(tools).toHaveLength(4);
      });
    });
  }
});
