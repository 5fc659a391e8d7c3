// Issue 11 §1: a waiting requestOTP / requestPermission rides out a relay restart within its
// timeout. The relay's HTTP server is stopped mid-wait, the SDK is left failing to connect
// for longer than one read's retries last, then a new server starts on the same database and
// port; the owner decides there and the original wait completes.
import { loadConfig } from '@agent-otp/config';
import { type RunningServer, startServer } from '@agent-otp/server';
import { AgentOTPClient, exportPublicKey, generateKeyPair } from '@orrisai/agent-otp-sdk';
import { afterEach, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { captureAcmeEmail, decide, ownerJson } from './support/owner.js';

const ACME = { sources: ['email'], senderPattern: '*@acme.com' } as const;
// One read gives up after 1 + maxRetries (3) refused connections; more than that proves the
// wait itself kept going through the outage.
const REFUSALS_BEYOND_ONE_READ = 6;

/** A fetch that counts the calls that got no answer, and resolves once there were `count`. */
function outageCountingFetch(count: number) {
  let failures = 0;
  let reached: () => void = () => {};
  const enough = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const wrapped: typeof fetch = async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (++failures >= count) reached();
      throw error;
    }
  };
  return { fetch: wrapped, enough };
}

/** A promise and the function that resolves it, for a value a callback hands over. */
function handOver<T>() {
  let give: (value: T) => void = () => {};
  const taken = new Promise<T>((resolve) => {
    give = resolve;
  });
  return { give, taken };
}

describeEachDialect('SDK waits across a relay restart', (dialect) => {
  let relay: TestRelay | undefined;
  let restarted: RunningServer | undefined;

  afterEach(async () => {
    await restarted?.stop();
    await relay?.stop();
    restarted = undefined;
    relay = undefined;
  });

  /** Stops the relay's HTTP server (its database stays), waits out the outage, starts anew. */
  async function restartAfter(running: TestRelay, outage: Promise<void>): Promise<void> {
    await running.server.stop();
    await outage;
    const config = loadConfig({
      PORT: String(running.server.port),
      HOST: '127.0.0.1',
      DATA_DIR: running.dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_BURST: '10000',
    });
    restarted = await startServer(config, { database: running.ctx.database });
    expect(restarted.url).toBe(running.url);
  }

  async function clientFor(running: TestRelay) {
    const agent = await running.createAgent({ name: 'restart-survivor' });
    const outage = outageCountingFetch(REFUSALS_BEYOND_ONE_READ);
    return {
      client: new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: running.url, fetch: outage.fetch }),
      outage: outage.enough,
    };
  }

  it('requestOTP with waitForOTP gets its code from the restarted relay', async () => {
    const running = await startTestRelay(dialect);
    relay = running;
    const { client, outage } = await clientFor(running);
    const keys = await generateKeyPair();
    const pending = handOver<string>();
    const waiting = client.requestOTP({
      reason: 'rides out a restart',
      filter: ACME,
      publicKey: await exportPublicKey(keys.publicKey),
      waitForOTP: true,
      timeout: 60_000,
      onPendingApproval: ({ id }) => pending.give(id),
    });
    const id = await pending.taken;
    await restartAfter(running, outage);
    await decide(running, id, 'approve');
    expect(await captureAcmeEmail(running, 'Your code is 552211')).toMatchObject({ requestId: id });
    expect(await waiting).toMatchObject({ id, status: 'otp_received' });
    expect((await client.consumeOTP(id, keys.privateKey)).code).toBe('552211');
  });

  it('requestPermission with waitForApproval gets its token from the restarted relay', async () => {
    const running = await startTestRelay(dialect);
    relay = running;
    const { client, outage } = await clientFor(running);
    const pending = handOver<string>();
    const waiting = client.requestPermission({
      action: 'gmail.send',
      resource: 'email:client@example.com',
      scope: { max_emails: 1 },
      waitForApproval: true,
      timeout: 60_000,
      onPendingApproval: ({ id }) => pending.give(id),
    });
    const id = await pending.taken;
    await restartAfter(running, outage);
    await ownerJson(running, `/api/v1/approvals/${id}/approve`, { method: 'POST' });
    const permission = await waiting;
    expect(permission).toMatchObject({ id, status: 'approved', token: expect.stringMatching(/^otp_/) });
    expect(await client.useToken(id, permission.token, { emails: 1 })).toMatchObject({ success: true });
  });
});
