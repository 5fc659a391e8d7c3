// Issue 18: webhook delivery used to run a pass (a query on the outbox) after every approval
// and delivery, whether or not the request named a webhook. Lifecycle events now say whether
// their change queued one, and only those (and events that do not say) wake a pass.
import { loadConfig } from '@agent-otp/config';
import { ALL_REQUESTS_TOPIC, type RequestEvent } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { webhookDeliveryJobs } from '../src/jobs/webhook-delivery-job.js';
import { createLogger } from '../src/logger.js';

describeEachDialect('webhook delivery wakes only for queued events', (dialect) => {
  let relay: TestRelay;
  let wakes = 0;
  let stopWakeUps: (() => Promise<void>) | undefined;
  const seen: RequestEvent[] = [];

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const [, wakeUps] = webhookDeliveryJobs(
      loadConfig({ LOG_LEVEL: 'silent' }),
      relay.ctx,
      createLogger('silent'),
      () => wakes++,
    );
    const started = await wakeUps.start();
    stopWakeUps = started ? () => started.stop() : undefined;
    relay.ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
      if (event.type !== 'resync') seen.push(event);
    });
  });
  afterAll(async () => {
    await stopWakeUps?.();
    await relay.stop();
  });

  it('a whole lifecycle without a webhook wakes no pass; its events say nothing was queued', async () => {
    const { apiKey } = await relay.createAgent();
    const source = await relay.createSource('email');
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'No webhook', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' })).status).toBe(200);
    const delivered = await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: source.token,
      json: { encryptedPayload: await sealCodeFor(keys, id) },
    });
    expect(delivered.status).toBe(200);
    const consumed = await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: apiKey });
    expect(consumed.status).toBe(200);

    const statuses = seen.filter((event) => event.requestId === id).map((event) => event.status);
    expect(statuses).toEqual(['pending_approval', 'approved', 'otp_received', 'consumed']);
    expect(seen.filter((event) => event.requestId === id).every((e) => e.webhookQueued === false)).toBe(true);
    expect(wakes).toBe(0);
  });

  it('an event that queued a webhook wakes a pass, and so does one that does not say', () => {
    const event: RequestEvent = {
      type: 'status',
      kind: 'otp',
      requestId: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      ownerId: relay.owner.id,
      agentId: 'agt_01JD2T6A9C2E5G8J1M4P7R0T3V',
      status: 'approved',
    };
    const before = wakes;
    relay.ctx.bus.publish({ ...event, webhookQueued: true });
    expect(wakes).toBe(before + 1);
    // A publisher that does not say (an agent's revocation, a held code's assignment): a status
    // an agent hears about may have queued one.
    relay.ctx.bus.publish(event);
    expect(wakes).toBe(before + 2);
    relay.ctx.bus.publish({ ...event, status: 'pending_approval' });
    relay.ctx.bus.publish({ ...event, webhookQueued: false });
    expect(wakes).toBe(before + 2);
  });
});
