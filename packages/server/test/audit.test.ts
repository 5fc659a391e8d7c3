import { verifyAudit } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('tamper-evident audit log', (dialect) => {
  let relay: TestRelay;
  let requestId: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const { apiKey } = await relay.createAgent({ name: 'audited' });
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'audit me', publicKey: keys.publicKey },
    });
    requestId = created.body.id;
    await relay.ownerFetch(`/api/v1/requests/${requestId}/approve`, { method: 'POST' });
    await call(relay.url, '/api/v1/owner/capture', {
      token: relay.ownerToken,
      json: {
        source: 'email',
        from: 'a@b.example',
        subject: 'Your code',
        text: 'Your verification code is 5150',
      },
    });
    await call(relay.url, `/api/v1/otp/${requestId}/consume`, { method: 'POST', token: apiKey });
    // Concurrent appends must not fork the chain.
    await Promise.all(Array.from({ length: 10 }, (_, i) => relay.createAgent({ name: `burst-${i}` })));
  });
  afterAll(() => relay.stop());

  it('records every step of a request, with who acted and how', async () => {
    const res = await relay.ownerFetch(`/api/v1/audit?q=${requestId}&limit=20`);
    const { events } = await res.json();
    const actions = events.map((e: { action: string }) => e.action).reverse();
    expect(actions).toEqual(['otp.requested', 'otp.approved', 'otp.code_delivered', 'otp.consumed']);
    const approval = events.find((e: { action: string }) => e.action === 'otp.approved');
    expect(approval).toMatchObject({
      actorType: 'owner',
      actorId: relay.owner.id,
      channel: 'cli',
      details: { actor: relay.owner.email },
    });
  });

  it('verifies on a real history', async () => {
    const result = await verifyAudit(relay.ctx);
    expect(result).toMatchObject({ ok: true, brokenAt: null });
    expect(result.checked).toBeGreaterThanOrEqual(15);
    const viaApi = await (await relay.ownerFetch('/api/v1/audit/verify', { method: 'POST' })).json();
    expect(viaApi.ok).toBe(true);
  });

  it('fails, naming the row, when a row is altered, and when one is deleted', async () => {
    const db = relay.ctx.database.db;
    const target = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'otp.approved')
      .where('target_id', '=', requestId)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('audit_events')
      .set({ details: target.details.replace('"actor"', '"actr"') })
      .where('id', '=', target.id)
      .execute();
    const altered = await verifyAudit(relay.ctx);
    expect(altered.ok).toBe(false);
    expect(altered.brokenAt).toMatchObject({ id: target.id, seq: target.seq });
    expect(altered.brokenAt?.reason).toMatch(/altered/);
    await db
      .updateTable('audit_events')
      .set({ details: target.details })
      .where('id', '=', target.id)
      .execute();
    expect((await verifyAudit(relay.ctx)).ok).toBe(true);

    await db.deleteFrom('audit_events').where('id', '=', target.id).execute();
    const deleted = await verifyAudit(relay.ctx);
    expect(deleted.ok).toBe(false);
    expect(deleted.brokenAt?.reason).toMatch(/sequence jumps/);
  });
});
