// Issue 18 "Growth": verifying a long audit chain never holds up the relay. The walk reads
// and hashes a few hundred rows per step and lets the event loop run between steps; on
// SQLite it reads through its own connection, so the relay's one connection stays free.
// Proven by ordering, not by a clock: requests sent after the walk began (a /healthz, a
// page of the audit log, an owner action that appends to the very chain being verified)
// are all answered while the walk is still short of its last row.

import { verifyAudit } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { growAuditChain } from '../../../test-support/grow-history.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** Dozens of steps: far more event-loop turns than an HTTP round trip on loopback needs. */
const CHAIN_LENGTH = 30_000;

describeEachDialect('audit verification does not block the relay', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'long-history' });
    await growAuditChain({ ctx: relay.ctx, ownerId: relay.owner.id, agentId: agent.id }, CHAIN_LENGTH);
  }, 120_000);
  afterAll(() => relay.stop());

  it('answers /healthz, reads and writes while the chain is walked', async () => {
    let checked = 0;
    let started: Promise<Record<string, number>> | undefined;
    /** The walk's progress when a request sent after it began was answered. */
    const answeredAt = async (response: Promise<Response>, expected: number) => {
      const res = await response;
      expect(res.status).toBe(expected);
      return checked;
    };
    const verification = verifyAudit(relay.ctx, relay.owner.id, {
      onStep(count) {
        checked = count;
        started ??= (async () => ({
          healthz: await answeredAt(fetch(`${relay.url}/healthz`), 200),
          auditPage: await answeredAt(relay.ownerFetch('/api/v1/audit?limit=5'), 200),
          append: await answeredAt(
            relay.ownerFetch('/api/v1/agents', {
              method: 'POST',
              body: JSON.stringify({ name: 'mid-verify' }),
            }),
            201,
          ),
        }))();
      },
    });
    const result = await verification;
    const during = await started!;
    expect(result).toMatchObject({ ok: true, brokenAt: null });
    expect(result.checked).toBeGreaterThanOrEqual(CHAIN_LENGTH);
    for (const [request, progress] of Object.entries(during))
      expect(progress, `${request} answered before the walk ended`).toBeLessThan(result.checked);
    // The agent created mid-walk appended to the chain after the walk's snapshot: the chain
    // still verifies, with that event included.
    expect(await verifyAudit(relay.ctx, relay.owner.id)).toMatchObject({
      ok: true,
      checked: result.checked + 1,
    });
  }, 120_000);
});
