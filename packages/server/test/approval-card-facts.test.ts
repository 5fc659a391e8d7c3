import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

// The facts the approval card shows besides the request itself (issue 15): plain-language
// lines, the raw request, and how the agent's key compares with its previous request,
// computed by the relay so every channel agrees.

describeEachDialect('approval card facts', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'card-agent' }));
  });
  afterAll(() => relay.stop());

  const requestCode = async (publicKey: string) => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason: 'Sign in to Acme',
        filter: { sources: ['sms', 'email'], senderPattern: '*@acme.com' },
        publicKey,
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const subjectOf = async (id: string) => {
    const res = await relay.ownerFetch(`/api/v1/approvals/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      summary: string[];
      details: Record<string, unknown>;
      agentKey: { fingerprint: string; history: string } | null;
    };
  };

  it('tells a first request, the same key again, and a new key apart', async () => {
    const first = await agentKeyPair();
    const second = await agentKeyPair();
    const a = await requestCode(first.publicKey);
    const b = await requestCode(first.publicKey);
    const c = await requestCode(second.publicKey);

    const [subjectA, subjectB, subjectC] = await Promise.all([subjectOf(a), subjectOf(b), subjectOf(c)]);
    expect(subjectA.agentKey?.history).toBe('first_request');
    expect(subjectB.agentKey?.history).toBe('same_as_last_request');
    expect(subjectC.agentKey?.history).toBe('new_key');
    expect(subjectB.agentKey?.fingerprint).toBe(subjectA.agentKey?.fingerprint);
    expect(subjectC.agentKey?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectC.agentKey?.fingerprint).not.toBe(subjectA.agentKey?.fingerprint);

    expect(subjectA.summary).toEqual(['a code from *@acme.com by SMS or email']);
    expect(subjectA.details).toEqual({
      sources: ['sms', 'email'],
      senderPattern: '*@acme.com',
      expectedSender: null,
      contentPattern: null,
    });

    // The pending list carries the same facts.
    const queue = (await (await relay.ownerFetch('/api/v1/approvals')).json()) as {
      approvals: Array<{ id: string; agentKey: { history: string } | null }>;
    };
    expect(queue.approvals.find((s) => s.id === c)?.agentKey?.history).toBe('new_key');
  });
});
