// Issue 9 item 9: one agent could hide every other request from capture. The source list
// applied `limit(500)` before filtering by source kind, so 520 SMS-only requests of agent A
// hid agent B's email request from the email connector. The list now filters in SQL, and
// each agent may hold only OPEN_REQUESTS_PER_AGENT open requests (429 beyond that).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('issue 9 item 9: open requests of one agent cannot hide another’s', (dialect) => {
  let relay: TestRelay;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    publicKey = (await agentKeyPair()).publicKey;
  });
  afterAll(() => relay.stop());

  it('lists agent B’s email request despite 520 SMS-only requests of agent A', async () => {
    const flooder = await relay.createAgent({ name: 'flooder' });
    const victim = await relay.createAgent({ name: 'victim' });
    const email = await relay.createSource('email');
    // One flood request through the API, then 519 copies of its row: the same stored shape
    // as 520 creates, without spending the test's time on 520 key checks.
    const first = await call(relay.url, '/api/v1/otp', {
      token: flooder.apiKey,
      json: { reason: 'flood', filter: { sources: ['sms'] }, publicKey },
    });
    expect(first.status).toBe(201);
    const template = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', first.body.id)
      .executeTakeFirstOrThrow();
    const copies = Array.from({ length: 519 }, (_, i) => ({
      ...template,
      id: `${template.id.slice(0, -4)}${String(i).padStart(4, '0')}`,
    }));
    for (let start = 0; start < copies.length; start += 100)
      await relay.ctx.database.db
        .insertInto('otp_requests')
        .values(copies.slice(start, start + 100))
        .execute();
    const real = await call(relay.url, '/api/v1/otp', {
      token: victim.apiKey,
      json: { reason: 'bank login', filter: { sources: ['email'] }, publicKey },
    });
    expect(real.status).toBe(201);
    const listed = await call(relay.url, '/api/v1/capture/requests', { token: email.token });
    expect(listed.status).toBe(200);
    expect((listed.body.requests as Array<{ id: string }>).map((r) => r.id)).toContain(real.body.id);
  });
});

describeEachDialect('issue 9 item 9: the per-agent cap on open requests', (dialect) => {
  let relay: TestRelay;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { OPEN_REQUESTS_PER_AGENT: '3' } });
    publicKey = (await agentKeyPair()).publicKey;
  });
  afterAll(() => relay.stop());

  it('answers 429 naming the limit once an agent holds that many open OTP requests', async () => {
    const agent = await relay.createAgent({ name: 'capped' });
    const other = await relay.createAgent({ name: 'other' });
    const create = (apiKey: string) =>
      call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason: 'x', publicKey } });
    const first = [await create(agent.apiKey), await create(agent.apiKey), await create(agent.apiKey)];
    for (const res of first) expect(res.status).toBe(201);
    const over = await create(agent.apiKey);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    expect(over.body.error.message).toContain('3');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another agent of the same owner is not affected.
    expect((await create(other.apiKey)).status).toBe(201);
    // Closing one frees a slot.
    const cancelled = await call(relay.url, `/api/v1/otp/${first[0]?.body.id}`, {
      method: 'DELETE',
      token: agent.apiKey,
    });
    expect(cancelled.status).toBe(200);
    expect((await create(agent.apiKey)).status).toBe(201);
  });

  it('holds under a burst of concurrent creates', async () => {
    const agent = await relay.createAgent({ name: 'burst' });
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(relay.url, '/api/v1/otp', { token: agent.apiKey, json: { reason: 'x', publicKey } }),
      ),
    );
    expect(results.filter((res) => res.status === 201)).toHaveLength(3);
    expect(results.filter((res) => res.status === 429)).toHaveLength(9);
  });

  it('caps pending permission requests the same way', async () => {
    const agent = await relay.createAgent({ name: 'permission-capped' });
    const ask = () =>
      call(relay.url, '/api/v1/permissions/request', {
        token: agent.apiKey,
        json: { action: 'gmail.send', resource: 'email:client@example.com' },
      });
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(201);
    const over = await ask();
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    expect(over.body.error.message).toContain('3');
  });

  it('refuses a bad OPEN_REQUESTS_PER_AGENT at start-up', async () => {
    const { loadConfig } = await import('@agent-otp/config');
    expect(() => loadConfig({ OPEN_REQUESTS_PER_AGENT: '0' })).toThrow(/OPEN_REQUESTS_PER_AGENT/);
  });
});
