// Issue 9 item 10, connector side: the connectors took any 409 for "taken" and dropped the
// code, also when the relay only asked them to try again. The HTTP connector now maps each
// error code to "this request no longer wants a code" (taken: try the next candidate) or
// "try again" (network error, 429, 5xx: retried with bounded backoff, then a retryable
// RelayError so the mail is looked at again later).
import { authenticateApiKey, createOtpRequest } from '@agent-otp/core';
import { httpRelay, RelayError } from '@agent-otp/email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

type Keys = Awaited<ReturnType<typeof agentKeyPair>>;

describeEachDialect('issue 9 item 10: the HTTP connector tells gone from retry', (dialect) => {
  let relay: TestRelay;
  let keys: Keys;
  let agent: { apiKey: string };
  let sourceToken: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    keys = await agentKeyPair();
    agent = await relay.createAgent({ name: 'connector-target' });
    sourceToken = (await relay.createSource('email')).token;
  });
  afterAll(() => relay.stop());

  const createRequest = async (sources: string[] = ['email']) => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'connector', filter: { sources }, publicKey: keys.publicKey, ttl: 30 },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('answers "taken" for requests that no longer want a code', async () => {
    const relayPort = httpRelay({ url: relay.url, token: sourceToken });
    const cancelled = await createRequest();
    await call(relay.url, `/api/v1/otp/${cancelled}`, { method: 'DELETE', token: agent.apiKey });
    expect(await relayPort.deliver(cancelled, await sealCodeFor(keys, cancelled))).toBe('taken');

    const denied = await createRequest();
    await relay.ownerFetch(`/api/v1/requests/${denied}/deny`, { method: 'POST' });
    expect(await relayPort.deliver(denied, await sealCodeFor(keys, denied))).toBe('taken');

    const holding = await createRequest();
    expect(await relayPort.deliver(holding, await sealCodeFor(keys, holding, '111111'))).toBe(
      'pending_approval',
    );
    expect(await relayPort.deliver(holding, await sealCodeFor(keys, holding, '222222'))).toBe('taken');

    const smsOnly = await createRequest(['sms']);
    expect(await relayPort.deliver(smsOnly, await sealCodeFor(keys, smsOnly))).toBe('taken');

    expect(await relayPort.deliver('otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', await sealCodeFor(keys, 'x'))).toBe(
      'taken',
    );
  });

  it('retries a 429 and then delivers', async () => {
    const limited = await startTestRelay(dialect, {
      env: { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '1' },
    });
    try {
      const limitedAgent = await limited.createAgent({ name: 'limited' });
      const token = (await limited.createSource('email')).token;
      // Created in-process, so the only rate-limited call is the connector's.
      const { id } = await createOtpRequest(
        limited.ctx,
        await authenticateApiKey(limited.ctx, limitedAgent.apiKey),
        { reason: 'limited', filter: { sources: ['email'] }, publicKey: keys.publicKey },
      );
      // Spend the source's only burst token, so the connector's first attempt gets 429.
      expect((await call(limited.url, '/api/v1/capture/requests', { token })).status).toBe(200);
      expect((await call(limited.url, '/api/v1/capture/requests', { token })).status).toBe(429);
      const relayPort = httpRelay({ url: limited.url, token });
      expect(await relayPort.deliver(id, await sealCodeFor(keys, id))).toBe('pending_approval');
    } finally {
      await limited.stop();
    }
  });

  it('gives up on an unreachable relay with a retryable error, after a bounded number of tries', async () => {
    const relayPort = httpRelay({ url: 'http://127.0.0.1:9', token: sourceToken, deliveryRetryDelayMs: 10 });
    const error = await relayPort.deliver('otp_x', 'a.b.c.d.e').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).permanent).toBe(false);
  });
});

describe('issue 9 item 10: a refused source token is permanent', () => {
  it('is not retried', async () => {
    const relay = await startTestRelay('sqlite');
    try {
      const relayPort = httpRelay({ url: relay.url, token: 'cs_not_a_real_token' });
      const error = await relayPort.deliver('otp_x', 'a.b.c.d.e').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RelayError);
      expect((error as RelayError).permanent).toBe(true);
    } finally {
      await relay.stop();
    }
  });
});
