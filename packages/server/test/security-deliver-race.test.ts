// Issue 9 item 10: on PostgreSQL a code that arrived while the owner approved was refused
// (409 "cannot deliver while it is approved", 34 of 60 races), and the connectors took any
// 409 for "taken" and dropped the code. Delivery now succeeds from either open status, and
// the connectors tell "this request no longer wants a code" from "try again"
// (packages/email/test/security-deliver-outcomes.test.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

type Keys = Awaited<ReturnType<typeof agentKeyPair>>;

describeEachDialect('issue 9 item 10: approve and deliver racing', (dialect) => {
  let relay: TestRelay;
  let keys: Keys;
  let agent: { apiKey: string };
  let source: { token: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    keys = await agentKeyPair();
    agent = await relay.createAgent({ name: 'racer' });
    source = await relay.createSource('email');
  });
  afterAll(() => relay.stop());

  const createRequest = async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'race', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('delivers every one of 60 codes that race the approval, and each ends otp_received', async () => {
    const failures: string[] = [];
    for (let round = 0; round < 60; round++) {
      const id = await createRequest();
      const jwe = await sealCodeFor(keys, id);
      const [approved, delivered] = await Promise.all([
        relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' }),
        call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
          token: source.token,
          json: { encryptedPayload: jwe },
        }),
      ]);
      expect(approved.status).toBe(200);
      if (delivered.status !== 200) failures.push(`${delivered.status} ${JSON.stringify(delivered.body)}`);
      const row = await relay.ctx.database.db
        .selectFrom('otp_requests')
        .select(['status', 'encrypted_payload'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('otp_received');
      expect(row.encrypted_payload).toBe(jwe);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
