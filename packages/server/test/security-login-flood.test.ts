/**
 * Issue 9 item 6: login flood. The throttle used to check, hash, then record, so 80
 * concurrent attempts all ran scrypt; 150 concurrent logins filled the thread pool the
 * relay's own crypto needs; and a per-email lock let anyone lock the owner out.
 */
import { createOwnerAccount, LOGIN_LIMITS, recordLoginAttempt } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { signIn } from '../../../test-support/session.js';

const OWNER = { email: 'flooded@example.com', password: 'the rightful owner passphrase' };
const HASH_CONCURRENCY = 2;

describeEachDialect('a login flood', (dialect) => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay(dialect, {
      env: {
        TRUST_PROXY: 'true',
        PASSWORD_HASH_CONCURRENCY: String(HASH_CONCURRENCY),
        // Room for one address's 10 reserved guesses and no more: the 150-address flood
        // below then runs a dozen hashes, not fifty, and the bound is what is tested.
        PASSWORD_HASH_QUEUE: '8',
      },
    });
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
  });
  afterAll(() => relay.stop());

  /** Sign-ins that got far enough to run scrypt are the ones the relay records. */
  const attemptsFrom = async (ip: string) =>
    (await relay.ctx.database.db.selectFrom('login_attempts').select('id').where('ip', '=', ip).execute())
      .length;

  it('runs scrypt at most the per-address limit of times for 80 concurrent guesses from one address', async () => {
    const ip = '198.51.100.7';
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        signIn(relay.url, OWNER.email, `wrong guess number ${i}`, { 'x-forwarded-for': ip }),
      ),
    );
    const statuses = results.map(({ res }) => res.status);
    const hashed = await attemptsFrom(ip);
    expect(hashed).toBeLessThanOrEqual(LOGIN_LIMITS.failuresPerEmailAndAddress);
    // Wrong password (hashed), over the limit (429), or "busy, retry" (503, hash queue full).
    expect(statuses.filter((s) => s === 401).length).toBe(hashed);
    expect(statuses.filter((s) => s === 429 || s === 503).length).toBe(80 - hashed);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(
      80 - LOGIN_LIMITS.failuresPerEmailAndAddress,
    );
    const limited = results.find(({ res }) => res.status === 429)!.res;
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // The address stays locked, even for the right password …
    const locked = await signIn(relay.url, OWNER.email, OWNER.password, { 'x-forwarded-for': ip });
    expect(locked.res.status).toBe(429);
    // … but the owner, from anywhere else, signs in.
    const owner = await signIn(relay.url, OWNER.email, OWNER.password, {
      'x-forwarded-for': '203.0.113.200',
    });
    expect(owner.res.status).toBe(200);
    expect(owner.res.body.owner.email).toBe(OWNER.email);
  });

  it('keeps the owner able to sign in while guesses on their email come from many addresses', async () => {
    // More failures on this email than any per-email limit would allow, recorded as the
    // sign-in route records them (each real one costs a scrypt run), then one real guess.
    for (let i = 0; i < 3 * LOGIN_LIMITS.failuresPerEmailAndAddress; i++)
      await recordLoginAttempt(relay.ctx, { email: OWNER.email, ip: `192.0.2.${100 + i}`, succeeded: false });
    const guess = await signIn(relay.url, OWNER.email, 'one more distributed guess', {
      'x-forwarded-for': '192.0.2.200',
    });
    expect(guess.res.status).toBe(401);
    const owner = await signIn(relay.url, OWNER.email, OWNER.password, {
      'x-forwarded-for': '203.0.113.201',
    });
    expect(owner.res.status).toBe(200);
  });

  it('bounds concurrent password hashes during a 150-connection flood; other work still succeeds', async () => {
    const { apiKey } = await relay.createAgent({ name: 'bystander', test: true });
    const keys = await agentKeyPair();
    const gate = relay.ctx.passwordHashGate;
    const before = gate?.stats();
    const flood = Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        signIn(relay.url, OWNER.email, `flood guess ${i}`, {
          'x-forwarded-for': `10.${Math.floor(i / 250)}.${i % 250}.9`,
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'unrelated work during the flood', publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('otp_received');
    const statuses = (await flood).map(({ res }) => res.status);
    // Every guess got an answer: wrong password, or "busy, retry" with Retry-After.
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    expect(gate).toBeDefined();
    const after = gate!.stats();
    expect(after.maxRunning).toBeLessThanOrEqual(HASH_CONCURRENCY);
    expect(after.started - before!.started).toBe(statuses.filter((s) => s === 401).length);
    const busy = (await flood).find(({ res }) => res.status === 503);
    if (busy) {
      expect(busy.res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(busy.res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  }, 120_000);
});
