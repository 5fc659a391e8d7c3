// Issue 15 "Activity charts": the durations are measured over a bounded number of decided
// requests (the newest DECISION_TIMES_LIMIT of each kind), and the answer says so, while the
// counts and rates still cover every request of the range. Rows written in bulk (the growth
// benchmark's history), read over HTTP, both dialects.
import { DECISION_TIMES_LIMIT } from '@agent-otp/core';
import { parseAgentPublicKey } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { growRequests } from '../../../test-support/grow-history.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const OTP_REQUESTS = DECISION_TIMES_LIMIT + 1000;

describeEachDialect('activity over more decisions than are measured', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'busy-bot' });
    const keys = await agentKeyPair();
    const apiKey = await relay.ctx.database.db
      .selectFrom('api_keys')
      .select('id')
      .where('agent_id', '=', agent.id)
      .executeTakeFirstOrThrow();
    // Consumed OTP requests every 3 s and denied permissions every 30 s, all in the last day.
    await growRequests(
      {
        ctx: relay.ctx,
        ownerId: relay.owner.id,
        agentId: agent.id,
        apiKeyId: apiKey.id,
        publicKey: keys.publicKey,
        keyFingerprint: (await parseAgentPublicKey(keys.publicKey)).fingerprint,
      },
      OTP_REQUESTS,
    );
  }, 120_000);
  afterAll(() => relay.stop());

  it('counts every request but measures the newest decisions of each kind, and says so', async () => {
    const { status, body } = await call(relay.url, '/api/v1/activity?days=2', { token: relay.ownerToken });
    expect(status).toBe(200);
    const permissions = OTP_REQUESTS / 10;
    expect(body.summary.requests).toBe(OTP_REQUESTS + permissions);
    expect(body.summary.outcomes).toEqual({
      approved: OTP_REQUESTS,
      denied: permissions,
      expired: 0,
      cancelled: 0,
      pending: 0,
    });
    expect(body.summary.denialRate).toBe(permissions / (OTP_REQUESTS + permissions));
    expect(body.summary.durationsSampled).toBe(true);
    // The permissions are fewer than the limit: all measured; the OTP requests: the newest only.
    expect(body.summary.timeToDecide.count).toBe(DECISION_TIMES_LIMIT + permissions);
    expect(body.summary.approvalToCode).toEqual({ count: DECISION_TIMES_LIMIT, medianMs: 0, p90Ms: 0 });
  });
});
