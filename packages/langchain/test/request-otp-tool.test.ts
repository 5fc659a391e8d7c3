// The LangChain tool invoked as an agent framework invokes it (a ToolCall in, a ToolMessage
// out), against a relay started by the CLI; the owner approves with the CLI from another
// process and the code arrives through the capture command.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { createAgentKey, waitForPendingId } from '../../mcp/test/support/mcp-clients.js';
import { createRequestOtpTool } from '../src/index.js';

describeEachDialect('LangChain request_otp tool against a live relay', (dialect) => {
  let cli: CliEnvironment;
  let relay: Awaited<ReturnType<CliEnvironment['serve']>>;
  let liveKey: string;
  let testKey: string;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    relay = await cli.serve();
    liveKey = await createAgentKey(cli, 'langchain-live');
    testKey = await createAgentKey(cli, 'langchain-test', true);
  }, 120_000);
  afterAll(async () => {
    await relay?.stop();
    await cli?.cleanup();
  });

  it('describes itself to the model with a JSON schema built from the contract', () => {
    const requestOtp = createRequestOtpTool({ apiKey: testKey, baseUrl: relay.url });
    expect(requestOtp.name).toBe('request_otp');
    expect(requestOtp.description).toContain('verification code');
  });

  it('with a test key: a tool call returns a ToolMessage holding the code, and the artifact', async () => {
    const requestOtp = createRequestOtpTool({ apiKey: testKey, baseUrl: relay.url });
    const message = await requestOtp.invoke({
      type: 'tool_call',
      id: 'call_1',
      name: 'request_otp',
      args: { reason: 'Test sign-up', expectedSender: 'Acme', sources: ['sms'] },
    });
    expect(message.tool_call_id).toBe('call_1');
    expect(message.artifact).toMatchObject({ status: 'consumed', source: 'sms' });
    const { code } = message.artifact as { code: string };
    expect(code).toMatch(/^\d{6}$/);
    expect(String(message.content)).toContain(code);
  });

  it('with a live key: waits for the CLI approval and the captured email, and returns the code', async () => {
    const requestOtp = createRequestOtpTool({ apiKey: liveKey, baseUrl: relay.url });
    const reason = `Sign up for Acme website (langchain, ${dialect})`;
    const call = requestOtp.invoke({
      type: 'tool_call',
      id: 'call_2',
      name: 'request_otp',
      args: { reason, sources: ['email'], senderPattern: '*@acme.com', timeoutSeconds: 100 },
    });
    const id = await waitForPendingId(cli, reason);
    expect((await cli.run(['approve', id])).code).toBe(0);
    const captured = await cli.run([
      'capture',
      '--source',
      'email',
      '--from',
      'noreply@acme.com',
      '--text',
      'Your code is 318274',
    ]);
    expect(captured.code).toBe(0);
    const message = await call;
    expect(message.artifact).toMatchObject({ requestId: id, status: 'consumed', code: '318274' });
    expect(String(message.content)).toContain('318274');
    expect(relay.output()).not.toContain('318274');
  }, 120_000);

  it('returns the final status when the owner denies, and refuses bad input before calling the relay', async () => {
    const requestOtp = createRequestOtpTool({ apiKey: liveKey, baseUrl: relay.url });
    const reason = `Log in to Acme (langchain, ${dialect})`;
    const call = requestOtp.invoke({ reason, timeoutSeconds: 100 });
    const id = await waitForPendingId(cli, reason);
    expect((await cli.run(['deny', id])).code).toBe(0);
    expect(await call).toBe(`No code: request ${id} is denied.`);

    await expect(requestOtp.invoke({ reason: '' })).rejects.toThrow(/reason is required/);
  }, 120_000);
});
