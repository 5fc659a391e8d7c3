// Issue 9 item 3: sender globs were ReDoS. `senderPattern: "*a*a*a*a*a*a*a*a*b"` plus a
// 64-character sender froze the relay for 30 s, with no approval needed: matching runs for
// every incoming message. Globs are now matched in linear time and capped in wildcards.
import { SENDER_GLOB_LIMITS } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('issue 9 item 3: sender globs cost linear time', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let sms: { token: string };
  let email: { token: string };
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'glob-bot' }));
    sms = await relay.createSource('sms');
    email = await relay.createSource('email');
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  const createOtp = (filter: Record<string, unknown>) =>
    call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason: 'glob attack', filter, publicKey } });
  const capture = (token: string, from: string, text: string) =>
    call(relay.url, '/api/v1/capture/messages', { token, json: { from, text } });

  it('a pending request with a many-star glob does not stall capture of a 64-character sender', async () => {
    // As many stars as the cap allows: the most a hostile agent can still create.
    const stars = SENDER_GLOB_LIMITS.maxStars;
    const pattern = `${'*a'.repeat(stars - 1)}*b`;
    const created = await createOtp({ sources: ['sms', 'email'], senderPattern: pattern });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending_approval');

    const missSms = await capture(sms.token, 'a'.repeat(64), 'Your code is 482913');
    expect(missSms.status).toBe(200);
    expect(missSms.body).toMatchObject({ matched: false, reason: 'no_matching_request' });
    const missEmail = await capture(email.token, `${'a'.repeat(64)}@${'a'.repeat(60)}.test`, 'Code 482913');
    expect(missEmail.body).toMatchObject({ matched: false, reason: 'no_matching_request' });

    const hit = await capture(sms.token, `${'a'.repeat(63)}b`, 'Your code is 482913');
    expect(hit.body).toMatchObject({ matched: true, requestId: created.body.id });
  });

  it('refuses a glob with more wildcards than the cap: 400 naming the field', async () => {
    const refused = await createOtp({ senderPattern: '*a*a*a*a*a*a*a*a*b' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_ERROR');
    const text = JSON.stringify(refused.body.error);
    expect(text).toContain('senderPattern');
    expect(text).toContain(`at most ${SENDER_GLOB_LIMITS.maxStars}`);
  });

  it('keeps the documented glob meaning: *, ?, exact words, case-insensitive', async () => {
    const cases: Array<[string, string, 'sms' | 'email', boolean]> = [
      ['Acme', 'ACME', 'sms', true],
      ['Acme', 'AcmeBank', 'sms', false],
      ['+1555*', '+15551234567', 'sms', true],
      ['+1555???????', '+15551234567', 'sms', true],
      ['+1555???????', '+1555123456', 'sms', false],
      ['*@acme.com', 'NoReply@Acme.com', 'email', true],
      ['*@acme.com', 'noreply@acme.com.evil.io', 'email', false],
      ['no*@*.acme.com', 'noreply@eu.acme.com', 'email', true],
    ];
    for (const [pattern, from, source, expected] of cases) {
      const created = await createOtp({ sources: [source], senderPattern: pattern });
      expect(created.status, pattern).toBe(201);
      const result = await capture(source === 'sms' ? sms.token : email.token, from, 'Your code is 482913');
      expect(result.body.matched, `${pattern} vs ${from}`).toBe(expected);
      if (expected) expect(result.body.requestId).toBe(created.body.id);
      else await call(relay.url, `/api/v1/otp/${created.body.id}`, { method: 'DELETE', token: apiKey });
    }
  });
});
