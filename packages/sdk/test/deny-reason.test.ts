// Issue 15 "Deny with a reason": what the owner wrote reaches the agent through the SDK, as
// `denialReason` on the status it waits for and on the error a later consume throws, against
// a real relay on both dialects.
import {
  AgentOTPClient,
  exportPublicKey,
  generateKeyPair,
  OTPApprovalDeniedError,
} from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { ownerJson } from './support/owner.js';

const REASON = 'Use the staging account, not production';

describeEachDialect('the SDK hears why the owner denied', (dialect) => {
  let relay: TestRelay;
  let client: AgentOTPClient;
  let keys: CryptoKeyPair;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const { apiKey } = await relay.createAgent({ name: 'sdk-denied' });
    client = new AgentOTPClient({ apiKey, baseUrl: relay.url });
    keys = await generateKeyPair();
    publicKey = await exportPublicKey(keys.publicKey);
  });
  afterAll(() => relay.stop());

  const deny = (id: string, reason?: string) =>
    ownerJson(relay, `/api/v1/approvals/${id}/deny`, {
      method: 'POST',
      ...(reason === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) }),
    });

  it('waitForOTP returns denialReason, and consumeOTP throws OTPApprovalDeniedError carrying it', async () => {
    const created = await client.requestOTP({ reason: 'Sign up at Acme', publicKey });
    const waiting = client.waitForOTP(created.id, { timeout: 20_000 });
    await deny(created.id, REASON);
    const settled = await waiting;
    expect(settled).toMatchObject({ status: 'denied', denialReason: REASON });

    const error = await client.consumeOTP(created.id, keys.privateKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OTPApprovalDeniedError);
    const denied = error as OTPApprovalDeniedError;
    expect(denied.code).toBe('OTP_DENIED');
    expect(denied.denialReason).toBe(REASON);
    expect(denied.message).toContain(REASON);
  });

  it('a denial without a reason leaves denialReason undefined, on the status and on the error', async () => {
    const created = await client.requestOTP({ reason: 'Sign up at Acme', publicKey });
    await deny(created.id);
    const read = await client.waitForOTP(created.id, { timeout: 5_000 });
    expect(read.status).toBe('denied');
    expect(read).not.toHaveProperty('denialReason');
    const error = await client.consumeOTP(created.id, keys.privateKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OTPApprovalDeniedError);
    expect((error as OTPApprovalDeniedError).denialReason).toBeUndefined();
    expect((error as OTPApprovalDeniedError).message).not.toContain('reason:');
  });

  it('getPermission (long-poll) returns the reason of a denied permission request', async () => {
    const created = await client.requestPermission({
      action: 'db.drop_table',
      resource: 'postgres://prod/users',
      scope: {},
    });
    expect(created.status).toBe('pending_approval');
    const waiting = client.getPermission(created.id, { wait: 20 });
    await deny(created.id, REASON);
    expect(await waiting).toMatchObject({ status: 'denied', denialReason: REASON });
  });
});
