// Issue 10 item 3: OTP and permission requests walk one state machine. Every transition is
// one conditional update that also tests the deadline (OTP transitions used not to), writes
// its audit row in the same transaction, and one sweep expires every kind.
import {
  OTP_REQUESTS,
  PERMISSION_REQUESTS,
  readRequest,
  SYSTEM_ACTOR,
  sweepExpired,
  transition,
} from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const PAST = '2000-01-01T00:00:00.000Z';

describeEachDialect('one request state machine', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'machine' }));
  });
  afterAll(() => relay.stop());

  async function createOtp(): Promise<string> {
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'state machine', publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function createPermission(): Promise<string> {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'gmail.send', resource: 'email:client@example.com', scope: { max_emails: 1 } },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** Moves a request's deadline into the past without expiring it, as if the sweeper lagged. */
  async function makeOverdue(table: 'otp_requests' | 'permission_requests', id: string): Promise<void> {
    await relay.ctx.database.db.updateTable(table).set({ expires_at: PAST }).where('id', '=', id).execute();
  }

  async function auditActions(targetId: string): Promise<string[]> {
    const rows = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', targetId)
      .execute();
    return rows.map((row) => row.action);
  }

  it('refuses to approve an OTP request past its deadline, even before anything expired it', async () => {
    const id = await createOtp();
    await makeOverdue('otp_requests', id);
    const approved = await transition(relay.ctx, {
      kind: OTP_REQUESTS,
      id,
      scope: { ownerId: relay.owner.id },
      from: ['pending_approval'],
      changes: {
        status: 'approved',
        decision: 'approved',
        decided_by: 'test',
        decided_at: new Date().toISOString(),
      },
      audit: () => ({ actor: SYSTEM_ACTOR, action: 'approved' }),
    });
    expect(approved).toBeUndefined();
    expect(await auditActions(id)).not.toContain('otp.approved');
    // Through the API it is the expiry the agent hears of, not an approval.
    const decided = await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    expect(decided.status).toBe(410);
    expect((await readRequest(relay.ctx, OTP_REQUESTS, id, { any: true })).status).toBe('expired');
  });

  it('writes the transition and its audit row together, named by kind', async () => {
    const otp = await createOtp();
    const permission = await createPermission();
    expect((await call(relay.url, `/api/v1/otp/${otp}`, { method: 'DELETE', token: apiKey })).status).toBe(
      200,
    );
    const cancelled = await transition(relay.ctx, {
      kind: PERMISSION_REQUESTS,
      id: permission,
      scope: { ownerId: relay.owner.id },
      from: ['pending_approval'],
      changes: { status: 'cancelled', closed_at: new Date().toISOString() },
      audit: () => ({ actor: SYSTEM_ACTOR, action: 'cancelled' }),
    });
    expect(cancelled?.status).toBe('cancelled');
    expect(await auditActions(otp)).toContain('otp.cancelled');
    expect(await auditActions(permission)).toContain('permission.cancelled');
    // A second move from the same status loses: one success, never two.
    const again = await transition(relay.ctx, {
      kind: PERMISSION_REQUESTS,
      id: permission,
      scope: { any: true },
      from: ['pending_approval'],
      changes: { status: 'cancelled' },
      audit: () => ({ actor: SYSTEM_ACTOR, action: 'cancelled' }),
    });
    expect(again).toBeUndefined();
    expect((await auditActions(permission)).filter((a) => a === 'permission.cancelled')).toHaveLength(1);
  });

  it('expires overdue requests of every kind in one sweep, with one audit row each', async () => {
    const otp = await createOtp();
    const permission = await createPermission();
    await makeOverdue('otp_requests', otp);
    await makeOverdue('permission_requests', permission);
    // The relay's own sweeper may get there first; either way each row expires exactly once.
    await sweepExpired(relay.ctx);
    expect((await readRequest(relay.ctx, OTP_REQUESTS, otp, { any: true })).status).toBe('expired');
    expect((await readRequest(relay.ctx, PERMISSION_REQUESTS, permission, { any: true })).status).toBe(
      'expired',
    );
    expect((await auditActions(otp)).filter((a) => a === 'otp.expired')).toHaveLength(1);
    expect((await auditActions(permission)).filter((a) => a === 'permission.expired')).toHaveLength(1);
  });
});
