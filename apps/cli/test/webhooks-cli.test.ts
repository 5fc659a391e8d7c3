// Issue 11 §2: the CLI shows an agent's webhook secret once at creation, rotates it, and lists
// webhook deliveries, against `agent-otp serve` on both dialects.
import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { startWebhookReceiver } from '../../../test-support/webhook-receiver.js';

describeEachDialect('agent-otp webhook commands', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect, {
      WEBHOOK_ALLOW_HTTP: '1',
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_POLL_MS: '50',
    });
    server = await cli.serve();
    receiver = await startWebhookReceiver();
  }, 60_000);
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
    await cli?.cleanup();
  });

  async function approvedEvent(apiKey: string) {
    const keys = await agentKeyPair();
    const created = await call(server.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign up at Acme', publicKey: keys.publicKey, webhookUrl: receiver.url },
    });
    expect(created.status).toBe(201);
    const before = receiver.received.length;
    expect((await cli.run(['approve', created.body.id])).code).toBe(0);
    await eventually(async () => receiver.received.length > before, 10_000);
    return receiver.received.at(-1)!;
  }

  it('prints the secret once at creation, rotates it, and lists deliveries', async () => {
    const created = await cli.run(['agent:create', '--name', 'hooked', '--json']);
    expect(created.code).toBe(0);
    const agent = JSON.parse(created.stdout) as { id: string; apiKey: string; webhookSecret: string };
    expect(agent.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const human = await cli.run(['agent:create', '--name', 'hooked-too']);
    expect(human.stdout).toMatch(/Webhook signing secret \(shown once, store it now\): whsec_/);
    expect((await cli.run(['agent:list'])).stdout).not.toContain(agent.webhookSecret);

    const first = await approvedEvent(agent.apiKey);
    expect(verifyWebhookSignature(first.raw, first.headers, agent.webhookSecret).type).toBe('otp.approved');

    const rotated = await cli.run(['agent:rotate-webhook-secret', agent.id, '--json']);
    expect(rotated.code).toBe(0);
    const { webhookSecret } = JSON.parse(rotated.stdout) as { webhookSecret: string };
    expect(webhookSecret).not.toBe(agent.webhookSecret);
    const second = await approvedEvent(agent.apiKey);
    expect(verifyWebhookSignature(second.raw, second.headers, webhookSecret).type).toBe('otp.approved');
    expect(() => verifyWebhookSignature(second.raw, second.headers, agent.webhookSecret)).toThrow();

    const listed = await eventually(async () => {
      const result = await cli.run(['webhooks:list', '--agent', agent.id, '--json']);
      const deliveries = JSON.parse(result.stdout) as { status: string; type: string }[];
      return deliveries.length === 2 && deliveries.every((d) => d.status === 'delivered')
        ? deliveries
        : undefined;
    }, 60_000);
    expect(listed.map((d) => d.type)).toEqual(['otp.approved', 'otp.approved']);
    const table = await cli.run(['webhooks:list']);
    expect(table.stdout).toContain('otp.approved');
    expect(table.stdout).toContain('delivered');
    expect(table.stdout).toContain(`127.0.0.1:${receiver.port}`);

    const bad = await cli.run(['webhooks:list', '--limit', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--limit');
    const missing = await cli.run(['agent:rotate-webhook-secret', 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N']);
    expect(missing.code).not.toBe(0);
    // Every step spawns the CLI, a Node process each, on a shared machine.
  }, 180_000);
});
