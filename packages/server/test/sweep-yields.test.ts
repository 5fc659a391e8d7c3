// Issue 18 "Growth": sweeping a backlog of overdue requests (after downtime) lets the relay
// serve other work between rows. On SQLite every query is synchronous, so a loop of awaited
// queries that never yields would hold every timer and request until the backlog is gone.
// Proven by ordering: a timer set as the sweep starts fires before the sweep ends.

import { ensureDefaultOwner, expireOverdueRequestsOf, OTP_REQUESTS } from '@agent-otp/core';
import { ulid } from 'ulidx';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const BACKLOG = 300;

describeEachDialect('sweeping a backlog does not block the relay', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    // The relay's own sweeper must not take the backlog first.
    relay = await startTestRelay(dialect, { env: { SWEEP_INTERVAL_MS: '60000' } });
    const owner = await ensureDefaultOwner(relay.ctx);
    const agent = await relay.createAgent({ name: 'was-down' });
    const { publicKey } = await agentKeyPair();
    const db = relay.ctx.database.db;
    const key = await db
      .selectFrom('api_keys')
      .select('id')
      .where('agent_id', '=', agent.id)
      .executeTakeFirstOrThrow();
    const past = new Date(Date.now() - 60_000).toISOString();
    const rows = Array.from({ length: BACKLOG }, () => ({
      id: `otp_${ulid()}`,
      owner_id: owner.id,
      agent_id: agent.id,
      api_key_id: key.id,
      status: 'pending_approval' as const,
      reason: 'overdue while the relay was down',
      expected_sender: null,
      sources: '["email"]',
      sender_pattern: null,
      content_pattern: null,
      public_key: publicKey,
      key_fingerprint: 'f'.repeat(64),
      is_test: 0,
      encrypted_payload: null,
      created_at: past,
      expires_at: past,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto('otp_requests')
        .values(rows.slice(i, i + 100))
        .execute();
  }, 60_000);
  afterAll(() => relay.stop());

  it('fires a timer set as the sweep starts before the sweep ends', async () => {
    let swept = false;
    let timerFiredDuringSweep: boolean | undefined;
    const sweep = expireOverdueRequestsOf(relay.ctx, OTP_REQUESTS).finally(() => {
      swept = true;
    });
    setTimeout(() => {
      timerFiredDuringSweep = !swept;
    }, 0);
    expect(await sweep).toBe(BACKLOG);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(timerFiredDuringSweep).toBe(true);
  });
});
