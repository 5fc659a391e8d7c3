// client.cancelPermission(id) → DELETE /api/v1/permissions/:id against the real relay
// (issue 11 §1): a pending request is never decided, an approved one loses its token, a
// repeat succeeds, a decided one and another agent's request are refused.
import {
  AgentOTPClient,
  OTPApprovalDeniedError,
  OTPCancelledError,
  OTPNotFoundError,
} from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { ownerJson } from './support/owner.js';

const SEND_INVOICE = { action: 'gmail.send', resource: 'email:client@example.com', scope: { max_emails: 2 } };

describeEachDialect('client.cancelPermission', (dialect) => {
  let relay: TestRelay;
  let client: AgentOTPClient;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'cancels-permissions' });
    client = new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: relay.url });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  const ownerDecides = (id: string, outcome: 'approve' | 'deny') =>
    ownerJson(relay, `/api/v1/approvals/${id}/${outcome}`, { method: 'POST' });

  it('withdraws a pending request; cancelling it again succeeds; the owner can no longer approve it', async () => {
    const pending = await client.requestPermission(SEND_INVOICE);
    expect(pending.status).toBe('pending_approval');
    await client.cancelPermission(pending.id);
    expect((await client.getPermission(pending.id)).status).toBe('cancelled');
    await client.cancelPermission(pending.id);
    await expect(ownerDecides(pending.id, 'approve')).rejects.toThrow(/→ 409/);
  });

  it('revokes an approved request: its token no longer verifies or spends', async () => {
    const pending = await client.requestPermission(SEND_INVOICE);
    await ownerDecides(pending.id, 'approve');
    const approved = await client.getPermission(pending.id);
    expect(approved).toMatchObject({ status: 'approved', token: expect.stringMatching(/^otp_/) });
    expect(await client.verifyToken(pending.id, approved.token)).toMatchObject({ valid: true });
    await client.cancelPermission(pending.id);
    expect(await client.verifyToken(pending.id, approved.token)).toMatchObject({ valid: false });
    await expect(client.useToken(pending.id, approved.token, { emails: 1 })).rejects.toBeInstanceOf(
      OTPCancelledError,
    );
  });

  it('refuses a denied request and one that belongs to another agent', async () => {
    const pending = await client.requestPermission(SEND_INVOICE);
    await ownerDecides(pending.id, 'deny');
    await expect(client.cancelPermission(pending.id)).rejects.toBeInstanceOf(OTPApprovalDeniedError);

    const mine = await client.requestPermission(SEND_INVOICE);
    const other = await relay.createAgent({ name: 'someone-else' });
    const stranger = new AgentOTPClient({ apiKey: other.apiKey, baseUrl: relay.url });
    await expect(stranger.cancelPermission(mine.id)).rejects.toBeInstanceOf(OTPNotFoundError);
    expect((await client.getPermission(mine.id)).status).toBe('pending_approval');
  });
});
