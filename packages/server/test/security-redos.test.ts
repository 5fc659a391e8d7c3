// Issue 9 item 2: policy and scope regexes were ReDoS. `compileSafePattern` accepted textbook
// catastrophic patterns, and an agent's `scope.subject_pattern` or an owner policy like
// `^email:(.|\s)*@acme\.com$` froze the relay for tens of seconds on 30–40 characters of
// agent input. Patterns now run on a linear-time engine (RE2 syntax); what RE2 cannot express
// is refused with a 400 naming the construct.
import {
  compileSafePattern,
  SAFE_PATTERN_LIMITS,
  testSafePattern,
  UnsafePatternError,
} from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** Longest text the HTTP schemas let an agent put in one field. */
const FIELD_MAX = 1000;

describe('issue 9 item 2: the pattern engine', () => {
  // Each of these backtracks exponentially (or polynomially with a huge degree) on the input
  // beside it under JavaScript's RegExp; the answers are what a regex means, not a timeout.
  const catastrophic: Array<[string, string, boolean]> = [
    ['^(a|a)*$', `${'a'.repeat(FIELD_MAX - 1)}!`, false],
    ['(a|a)*$', `${'a'.repeat(FIELD_MAX - 1)}!`, true],
    ['^(?:a|aa)+$', `${'a'.repeat(FIELD_MAX - 1)}!`, false],
    ['^(?:a|aa)+$', 'a'.repeat(FIELD_MAX), true],
    ['a{0,100}a{0,100}b', 'a'.repeat(FIELD_MAX), false],
    ['^email:(.|\\s)*@acme\\.com$', `email:${' '.repeat(FIELD_MAX - 7)}x`, false],
    ['^email:(.|\\s)*@acme\\.com$', 'email: bob@acme.com', true],
    ['^(\\w+\\s?)*$', `${'word '.repeat(199)}!`, false],
    ['(x+x+)+y', 'x'.repeat(FIELD_MAX), false],
  ];
  it.each(catastrophic)('%s answers correctly on hostile input', (pattern, text, expected) => {
    expect(testSafePattern(compileSafePattern(pattern), text)).toBe(expected);
  });

  it('runs in linear time on 100 KB of adversarial input (engine level)', () => {
    const huge = `${'a'.repeat(100_000)}!`;
    expect(compileSafePattern('^(a|a)*$').test(huge)).toBe(false);
    expect(compileSafePattern('^(?:a|aa)+$').test(huge)).toBe(false);
    expect(compileSafePattern('^email:(.|\\s)*@acme\\.com$').test(`email:${' '.repeat(100_000)}`)).toBe(
      false,
    );
  });

  const refused: Array<[string, string]> = [
    ['(a)\\1', 'back-reference \\1'],
    ['(?<n>a)\\k<n>', 'back-reference \\k'],
    ['a(?=b)', 'lookahead (?=…)'],
    ['a(?!b)', 'negative lookahead (?!…)'],
    ['(?<=a)b', 'lookbehind (?<=…)'],
    ['(?<!a)b', 'negative lookbehind (?<!…)'],
    ['a++', 'possessive quantifier'],
    ['(?>a+)b', 'atomic group (?>…)'],
    ['[unclosed', 'missing closing ]'],
    ['a{1001}', 'repeat count'],
    ['[a-z]{600}', 'too large'],
    ['a{0,1000}a{0,1000}b', 'too large'],
    ['x'.repeat(SAFE_PATTERN_LIMITS.maxPatternLength + 1), 'longer than'],
  ];
  it.each(refused)('refuses %s, naming the construct', (pattern, construct) => {
    expect(() => compileSafePattern(pattern)).toThrow(UnsafePatternError);
    expect(() => compileSafePattern(pattern)).toThrow(construct);
  });

  it('fails closed on text longer than the input bound', () => {
    const pattern = compileSafePattern('^Invoice');
    expect(() => testSafePattern(pattern, 'x'.repeat(SAFE_PATTERN_LIMITS.maxInputLength + 1))).toThrow(
      UnsafePatternError,
    );
  });
});

describeEachDialect('issue 9 item 2: hostile patterns over HTTP', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'redos-bot' }));
  });
  afterAll(() => relay.stop());

  const request = (body: Record<string, unknown>) =>
    call(relay.url, '/api/v1/permissions/request', { token: apiKey, json: body });

  it('a catastrophic scope.subject_pattern answers a hostile use correctly, at once', async () => {
    const created = await request({
      action: 'gmail.send',
      resource: 'email:client@example.com',
      scope: { max_uses: 2, subject_pattern: '^(a|a)*$' },
    });
    expect(created.status).toBe(201);
    await relay.ownerFetch(`/api/v1/approvals/${created.body.id}/approve`, { method: 'POST' });
    const token = (await call(relay.url, `/api/v1/permissions/${created.body.id}`, { token: apiKey })).body
      .token;
    const use = (subject: string) =>
      call(relay.url, `/api/v1/permissions/${created.body.id}/use`, {
        token: apiKey,
        json: { token, actionDetails: { subject } },
      });
    const hostile = await use(`${'a'.repeat(FIELD_MAX - 1)}!`);
    expect(hostile.status).toBe(403);
    expect(hostile.body.error.code).toBe('SCOPE_VIOLATION');
    expect(hostile.body.error.message).toContain('subject does not match subject_pattern');
    const fine = await use('a'.repeat(FIELD_MAX));
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({ success: true, usesRemaining: 1 });
  });

  it('an owner policy ^email:(.|\\s)*@acme\\.com$ evaluates hostile resources correctly', async () => {
    const policy = await relay.ownerFetch('/api/v1/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'acme mail',
        conditions: { resource: { matches: '^email:(.|\\s)*@acme\\.com$' } },
        action: 'auto_approve',
      }),
    });
    expect(policy.status).toBe(201);
    const hostile = await request({ action: 'gmail.send', resource: `email:${' '.repeat(490)}x` });
    expect(hostile.status).toBe(201);
    expect(hostile.body.status).toBe('pending_approval');
    const matching = await request({ action: 'gmail.send', resource: 'email:\tbob@acme.com' });
    expect(matching.body).toMatchObject({ status: 'approved', policy: { name: 'acme mail' } });
  });

  it("bounds the combined size of one scope's patterns (each use runs them all)", async () => {
    const big = '^[a-z]{400}$';
    const fits = await request({ action: 'x.y', resource: 'r', scope: { a_pattern: big, b_pattern: big } });
    expect(fits.status).toBe(201);
    const refused = await request({
      action: 'x.y',
      resource: 'r',
      scope: { a_pattern: big, b_pattern: big, c_pattern: big },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_ERROR');
    const text = JSON.stringify(refused.body.error);
    expect(text).toContain('c_pattern');
    expect(text).toContain(`at most ${SAFE_PATTERN_LIMITS.maxScopeProgramSize} steps together`);
  });

  it('refuses what RE2 cannot express with 400 VALIDATION_ERROR naming the field and construct', async () => {
    const cases: Array<[string, string]> = [
      ['^(?=.*Invoice)', 'lookahead (?=…)'],
      ['(?<!Re: )Invoice', 'negative lookbehind (?<!…)'],
      ['(Invoice) \\1', 'back-reference'],
    ];
    for (const [pattern, construct] of cases) {
      const scoped = await request({ action: 'x.y', resource: 'r', scope: { subject_pattern: pattern } });
      expect(scoped.status, pattern).toBe(400);
      expect(scoped.body.error.code).toBe('VALIDATION_ERROR');
      const text = JSON.stringify(scoped.body.error);
      expect(text).toContain('subject_pattern');
      expect(text).toContain(construct);

      const policy = await relay.ownerFetch('/api/v1/policies', {
        method: 'POST',
        body: JSON.stringify({ name: 'bad', conditions: { resource: { matches: pattern } }, action: 'deny' }),
      });
      expect(policy.status, pattern).toBe(400);
      const body = JSON.stringify(await policy.json());
      expect(body).toContain('VALIDATION_ERROR');
      expect(body).toContain(construct);
    }
  });
});
