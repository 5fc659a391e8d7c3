// Issue 15: the owner revokes an approved permission (POST /api/v1/requests/:id/revoke). The
// agent's SDK then fails a use the way it fails an expired token (OTPExpiredError, 410), with
// the relay's own code, TOKEN_REVOKED, to tell the two apart. Real relay, both dialects.
import { AgentOTPClient, OTPExpiredError } from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { ownerJson } from './support/owner.js';

describeEachDialect('a permission token its owner revoked', (dialect) => {
  let relay: TestRelay;
  let client: AgentOTPClient;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'revoked-agent' });
    client = new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: relay.url });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('fails a use as expired, with the code TOKEN_REVOKED, and no longer verifies', async () => {
    const pending = await client.requestPermission({
      action: 'gmail.send',
      resource: 'email:client@example.com',
      scope: { max_uses: 2 },
    });
    await ownerJson(relay, `/api/v1/approvals/${pending.id}/approve`, { method: 'POST' });
    const approved = await client.getPermission(pending.id);
    expect(approved.token).toMatch(/^otp_/);
    const token = approved.token as string;
    expect((await client.useToken(pending.id, token)).usesRemaining).toBe(1);

    await ownerJson(relay, `/api/v1/requests/${pending.id}/revoke`, { method: 'POST' });
    const refused = await client.useToken(pending.id, token).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OTPExpiredError);
    expect(refused).toMatchObject({ status: 410, code: 'TOKEN_REVOKED' });
    expect((refused as Error).message).toContain('was revoked by its owner');
    expect(await client.verifyToken(pending.id, token)).toMatchObject({ valid: false });
    expect((await client.getPermission(pending.id)).status).toBe('cancelled');
  });
});
