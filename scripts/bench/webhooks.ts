/**
 * Signed webhooks (issue 11): from a request's status change to the agent's webhook receiver
 * holding the signed event, with 100 agents each waiting on one request. The owner approves
 * all 100 (10 at a time, over HTTP); each receiver is a real node:http server on 127.0.0.1.
 * The latency is the receiver's clock minus the event's `created_at` (the moment the status
 * changed, same machine), so it covers the commit, the outbox write, the wake-up, the claim,
 * signing and the POST; the owner's approve round trip is reported beside it. Run on SQLite
 * and, when available, PostgreSQL.
 */
import { createAgent, SYSTEM_ACTOR } from '@agent-otp/core';
import type { WebhookEvent } from '@agent-otp/shared';
import { webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';
import { agentKeyPair, call } from '../../test-support/http.js';
import { postgresAvailable } from '../../test-support/postgres.js';
import { startTestRelay } from '../../test-support/relay.js';
import type { Dialect } from '../../test-support/services.js';
import { startWebhookReceiver } from '../../test-support/webhook-receiver.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const AGENTS = 100;
const CONCURRENT_APPROVALS = 10;

async function measure(dialect: Dialect) {
  const relay = await startTestRelay(dialect, {
    env: {
      WEBHOOK_ALLOW_HTTP: '1',
      WEBHOOK_ALLOW_PRIVATE: '1',
      OPEN_REQUESTS_PER_AGENT: '1000',
      LOG_LEVEL: 'warn',
    },
  });
  const receivers: Awaited<ReturnType<typeof startWebhookReceiver>>[] = [];
  try {
    const keys = await agentKeyPair();
    const requests: { id: string; secret: string }[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const { apiKey, webhookSecret } = await createAgent(relay.ctx, {
        ownerId: relay.owner.id,
        name: `bench-${i}`,
        actor: SYSTEM_ACTOR,
      });
      const receiver = await startWebhookReceiver();
      receivers.push(receiver);
      const created = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: `bench ${i}`, publicKey: keys.publicKey, webhookUrl: receiver.url },
      });
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      requests.push({ id: created.body.id, secret: webhookSecret });
    }
    const started = performance.now();
    const approveSentAt: number[] = [];
    const approveMs: number[] = [];
    for (let i = 0; i < requests.length; i += CONCURRENT_APPROVALS)
      await Promise.all(
        requests.slice(i, i + CONCURRENT_APPROVALS).map(async ({ id }, offset) => {
          const sent = Date.now();
          approveSentAt[i + offset] = sent;
          const answer = await call(relay.url, `/api/v1/requests/${id}/approve`, {
            method: 'POST',
            token: relay.ownerToken,
          });
          if (answer.status !== 200) throw new Error(`approve failed: ${JSON.stringify(answer.body)}`);
          approveMs.push(Date.now() - sent);
        }),
      );
    const deadline = Date.now() + 60_000;
    while (receivers.some((r) => r.received.length === 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const wall = performance.now() - started;

    const samples: number[] = [];
    const fromApprove: number[] = [];
    receivers.forEach((receiver, index) => {
      const delivery = receiver.received[0];
      if (!delivery) return;
      const event = JSON.parse(delivery.raw) as WebhookEvent;
      const timestamp = Number(delivery.headers['x-otp-timestamp']);
      // Every sample is a genuine, verifiable delivery for this agent's request.
      const signature = `v1=${webhookSignature(requests[index]!.secret, timestamp, delivery.raw)}`;
      if (delivery.headers['x-otp-signature'] !== signature || event.request_id !== requests[index]!.id)
        throw new Error('a delivery did not verify');
      samples.push(delivery.receivedAt - Date.parse(event.created_at));
      fromApprove.push(delivery.receivedAt - approveSentAt[index]!);
    });
    const figures = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
    };
    return {
      agents: AGENTS,
      concurrentApprovals: CONCURRENT_APPROVALS,
      delivered: samples.length,
      // From the status change's timestamp (taken as the transition starts, so it includes
      // waiting for the database's write lock) to the receiver holding the signed event.
      statusChangeToReceiverMs: figures(samples),
      // From the owner's approve call being sent to the receiver holding the event.
      approveCallToReceiverMs: figures(fromApprove),
      approveCallMs: figures(approveMs),
      allDeliveredWithinMs: round(wall),
    };
  } finally {
    await Promise.all(receivers.map((r) => r.close()));
    await relay.stop();
  }
}

export default async function webhooksBench() {
  return {
    sqlite: await measure('sqlite'),
    postgres: postgresAvailable() ? await measure('postgres') : 'PostgreSQL not available',
  };
}
