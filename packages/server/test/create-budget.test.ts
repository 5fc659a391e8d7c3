// Issue 18: `POST /api/v1/otp` authenticated the agent twice (the route's credential
// middleware ran once for the route and once more), so each create spent two tokens of the
// agent's budget: with RATE_LIMIT_BURST=10 the sixth create was refused. A burst of N now
// allows exactly N creates, and the one after is refused with the limiter's real answer.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const BURST = 10;

describeEachDialect('issue 18: an agent’s create budget is its configured burst', (dialect) => {
  let relay: TestRelay;
  let publicKey: string;

  beforeAll(async () => {
    // A slow refill (1 a minute), so no token comes back while the test runs.
    relay = await startTestRelay(dialect, {
      env: { RATE_LIMIT_BURST: String(BURST), RATE_LIMIT_PER_MINUTE: '1' },
    });
    publicKey = (await agentKeyPair()).publicKey;
  });
  afterAll(() => relay?.stop());

  it(`accepts ${BURST} creates in a burst of ${BURST} and refuses the next with RATE_LIMITED`, async () => {
    const { apiKey } = await relay.createAgent({ name: 'budgeted' });
    const create = () =>
      call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason: 'budget check', publicKey } });
    for (let i = 1; i <= BURST; i++) {
      const created = await create();
      expect(created.status, `create ${i} of ${BURST}: ${JSON.stringify(created.body)}`).toBe(201);
    }
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toMatch(/^rate limit exceeded; retry after \d+ s$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('spends one token per authenticated read, too', async () => {
    const { apiKey } = await relay.createAgent({ name: 'reader' });
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'read', publicKey },
    });
    expect(created.status).toBe(201);
    for (let i = 2; i <= BURST; i++) {
      const read = await call(relay.url, `/api/v1/otp/${created.body.id}`, { token: apiKey });
      expect(read.status, `request ${i} of ${BURST}`).toBe(200);
    }
    expect((await call(relay.url, `/api/v1/otp/${created.body.id}`, { token: apiKey })).status).toBe(429);
  });
});
