// Issue 11 §1: a rate-limited call is retried only while the relay's Retry-After fits in
// the caller's remaining time budget; otherwise RateLimitError surfaces at once (it used to
// sit out Retry-After up to maxRetries times: about three minutes under a per-minute limit).
import { AgentOTPClient, exportPublicKey, generateKeyPair, RateLimitError } from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { decide } from './support/owner.js';

// A per-minute limit with no burst: once the one token is spent, the relay asks for up to 60 s.
const PER_MINUTE_LIMIT = { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '1' };
// One token a second: Retry-After is 1 s, which a generous wait can sit out.
const PER_SECOND_LIMIT = { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '1' };
// Far below the minute a per-minute limit asks for: finishing inside it proves no sitting out.
const NO_SITTING_OUT_MS = 10_000;

/** A fetch that records the HTTP status of every answer it passes on. */
function statusRecordingFetch() {
  const statuses: number[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    return response;
  };
  return { statuses, fetch: wrapped };
}

describeEachDialect('SDK under the relay rate limit', (dialect) => {
  let perMinute: TestRelay;
  let perSecond: TestRelay;
  let publicKey: string;

  beforeAll(async () => {
    [perMinute, perSecond] = await Promise.all([
      startTestRelay(dialect, { env: PER_MINUTE_LIMIT }),
      startTestRelay(dialect, { env: PER_SECOND_LIMIT }),
    ]);
    publicKey = await exportPublicKey((await generateKeyPair()).publicKey);
  });
  afterAll(async () => {
    await Promise.all([perMinute?.stop(), perSecond?.stop()]);
  });

  async function limitedClient(relay: TestRelay, name: string) {
    const agent = await relay.createAgent({ name });
    const recorder = statusRecordingFetch();
    const client = new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: relay.url, fetch: recorder.fetch });
    return { client, statuses: recorder.statuses };
  }

  it(
    'a create whose Retry-After is longer than the call budget throws RateLimitError at once',
    async () => {
      const { client, statuses } = await limitedClient(perMinute, 'limited-create');
      await client.requestOTP({ reason: 'spends the only token', publicKey });
      const failure = await client.requestOTP({ reason: 'limited', publicKey }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RateLimitError);
      expect((failure as RateLimitError).retryAfter).toBeGreaterThan(30);
      expect(statuses).toEqual([201, 429]);
    },
    NO_SITTING_OUT_MS,
  );

  it(
    'a wait whose timeout ends before the Retry-After throws RateLimitError at once',
    async () => {
      const { client, statuses } = await limitedClient(perMinute, 'limited-wait');
      const created = await client.requestOTP({ reason: 'spends the only token', publicKey });
      const failure = await client.waitForOTP(created.id, { timeout: 20_000 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RateLimitError);
      expect(statuses).toEqual([201, 429]);
    },
    NO_SITTING_OUT_MS,
  );

  it(
    'a permission wait whose timeout ends before the Retry-After throws RateLimitError at once',
    async () => {
      const { client, statuses } = await limitedClient(perMinute, 'limited-permission');
      await client.requestOTP({ reason: 'spends the only token', publicKey });
      const failure = await client
        .requestPermission({
          action: 'gmail.send',
          resource: 'email:a@example.com',
          waitForApproval: true,
          timeout: 20_000,
        })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RateLimitError);
      expect(statuses).toEqual([201, 429]);
    },
    NO_SITTING_OUT_MS,
  );

  it('a wait whose timeout covers the Retry-After sits it out and gets its answer', async () => {
    const agent = await perSecond.createAgent({ name: 'waits-it-out' });
    const recorder = statusRecordingFetch();
    const client = new AgentOTPClient({
      apiKey: agent.apiKey,
      baseUrl: perSecond.url,
      fetch: recorder.fetch,
    });
    // Another client on the same key empties the key's bucket just before the wait's first
    // long-poll, however long the steps before took.
    const drainer = new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: perSecond.url, maxRetries: 0 });
    const drainBucket = async (id: string) => {
      for (;;) {
        const failure = await drainer.getOTPStatus(id).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (failure instanceof RateLimitError) return;
        if (failure) throw failure;
      }
    };
    const request = await client.requestOTP({
      reason: 'rides out a 429',
      publicKey,
      waitForOTP: true,
      timeout: 15_000,
      // The owner (a credential with a bucket of its own) denies; then the agent's bucket is emptied.
      onPendingApproval: async ({ id }) => {
        await decide(perSecond, id, 'deny');
        await drainBucket(id);
      },
    });
    expect(request.status).toBe('denied');
    // The long-poll found the bucket empty, sat out Retry-After: 1, and read the decision.
    expect(recorder.statuses.slice(0, 2)).toEqual([201, 429]);
    expect(recorder.statuses.at(-1)).toBe(200);
  });
});
