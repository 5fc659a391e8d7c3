// Issue 17 (newcomer papercuts): unknown API keys were never rate limited. Failed
// authentications of every credential kind are counted per client address; past the budget
// the address gets 429 with Retry-After, other addresses are unaffected, memory is bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { RateLimiter } from '../src/middleware/rate-limit.js';
import { SESSION_COOKIE } from '../src/middleware/session-cookies.js';

const BUDGET = 6;
const WRONG_KEY = `ak_live_${'x'.repeat(43)}`;
const OTP_PATH = '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N';

describeEachDialect('failed authentications per client address', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let sourceToken: string;

  beforeAll(async () => {
    // TRUST_PROXY: the test plays several clients through X-Forwarded-For.
    relay = await startTestRelay(dialect, {
      env: { AUTH_FAILURES_PER_MINUTE: String(BUDGET), TRUST_PROXY: 'true' },
    });
    ({ apiKey } = await relay.createAgent());
    ({ token: sourceToken } = await relay.createSource('email'));
  });
  afterAll(() => relay?.stop());

  const from = (address: string, token?: string, headers: Record<string, string> = {}) =>
    call(relay.url, OTP_PATH, {
      ...(token ? { token } : {}),
      headers: { 'x-forwarded-for': address, ...headers },
    });

  it('answers 429 with Retry-After once an address used up its budget of bad keys', async () => {
    for (let i = 0; i < BUDGET; i++) {
      const res = await from('198.51.100.1', WRONG_KEY);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await from('198.51.100.1', WRONG_KEY);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.body.error.message).toMatch(/failed authentications/);
    // 6 per minute: one failure comes back every 10 s.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    // The decision (docs/api.md): while over budget, the address is refused before any
    // credential is looked at, so even a correct key waits for the budget to refill.
    expect((await from('198.51.100.1', apiKey)).status).toBe(429);
  });

  it('leaves another address alone, bad keys and good ones', async () => {
    expect((await from('198.51.100.2', WRONG_KEY)).status).toBe(401);
    expect((await from('198.51.100.2', apiKey)).status).toBe(404);
  });

  it('counts every credential kind: owner token, source token, session cookie, malformed headers', async () => {
    const address = '198.51.100.3';
    const attempts = [
      () =>
        call(relay.url, '/api/v1/agents', {
          token: `os_${'y'.repeat(43)}`,
          headers: { 'x-forwarded-for': address },
        }),
      () =>
        call(relay.url, '/api/v1/capture/requests', {
          token: `cs_${'z'.repeat(43)}`,
          headers: { 'x-forwarded-for': address },
        }),
      () =>
        call(relay.url, '/api/v1/agents', {
          headers: { 'x-forwarded-for': address, cookie: `${SESSION_COOKIE}=not-a-session` },
        }),
      () =>
        call(relay.url, '/api/v1/agents', {
          headers: { 'x-forwarded-for': address, authorization: 'Basic Zm9vOmJhcg==' },
        }),
      () =>
        call(relay.url, '/api/v1/capture/requests', {
          token: apiKey,
          headers: { 'x-forwarded-for': address },
        }),
      () => from(address, WRONG_KEY),
    ];
    for (const attempt of attempts) expect((await attempt()).status).toBe(401);
    const limited = await call(relay.url, '/api/v1/capture/requests', {
      token: sourceToken,
      headers: { 'x-forwarded-for': address },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('does not count requests that carry no credential at all', async () => {
    for (let i = 0; i < BUDGET * 2; i++) expect((await from('198.51.100.4')).status).toBe(401);
    expect((await from('198.51.100.4', apiKey)).status).toBe(404);
  });
});

describeEachDialect('failed authentications without TRUST_PROXY', (dialect) => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { AUTH_FAILURES_PER_MINUTE: String(BUDGET) } });
  });
  afterAll(() => relay?.stop());

  it('counts the socket address, so a forged X-Forwarded-For does not buy a fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= BUDGET; i++) {
      const res = await call(relay.url, OTP_PATH, {
        token: WRONG_KEY,
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(BUDGET).fill(401), 429]);
  });
});

describe('RateLimiter memory bound', () => {
  it('keeps at most maxKeys addresses, forgetting the least recently used', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 2, burst: 2, maxKeys: 100 }, () => now);
    limiter.take('kept');
    limiter.take('kept');
    for (let i = 0; i < 10_000; i++) {
      now += 1;
      limiter.take(`198.51.${i >> 8}.${i & 255}`);
      // Touching a key makes it recent again, so a client that keeps failing stays counted.
      if (i % 50 === 0) expect(limiter.take('kept').allowed).toBe(false);
    }
    expect(limiter.size).toBe(100);
    expect(limiter.check('kept').allowed).toBe(false);
    // An address evicted long ago starts again with a full budget.
    expect(limiter.check('198.51.0.0').allowed).toBe(true);
  });

  it('checks without spending, and refills at perMinute', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 6, burst: 1 }, () => now);
    expect(limiter.check('a')).toEqual({ allowed: true });
    expect(limiter.check('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 10_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
  });
});
