// Issue 18: the request ID, the security headers and `Cache-Control: no-store` under /api/
// were set after each handler answered, which made @hono/node-server rebuild every response
// as a stream. They are set before the handler now; these tests hold every kind of response
// to the same headers as before, and the access log to its levels (static files and passing
// health probes at debug, everything else at info, no credential in any line).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** What every response carried before the change (hono's secureHeaders with our options). */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function expectSecurityHeaders(headers: Headers, what: string) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(headers.get(name), `${what}: ${name}`).toBe(value);
  expect(headers.get('x-request-id'), `${what}: x-request-id`).toMatch(UUID);
}

interface LogLine {
  level: number;
  msg: string;
  path?: string;
  status?: number;
  requestId?: string;
  method?: string;
  ms?: number;
}

const requestLines = (relay: TestRelay) =>
  relay.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.msg === 'request');

describeEachDialect('issue 18: response headers set before the handler answers', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let otpId: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { LOG_LEVEL: 'debug' } });
    ({ apiKey } = await relay.createAgent());
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'headers', publicKey: (await agentKeyPair()).publicKey },
    });
    expect(created.status).toBe(201);
    otpId = created.body.id;
  });
  afterAll(() => relay?.stop());

  it('gives API answers of every kind the security headers, a request ID and no-store', async () => {
    const answers = {
      'read 200': await call(relay.url, `/api/v1/otp/${otpId}`, { token: apiKey }),
      'read 404': await call(relay.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: apiKey }),
      'no credential 401': await call(relay.url, `/api/v1/otp/${otpId}`),
      'no route 404': await call(relay.url, '/api/v1/nothing-here'),
      'wrong type 415': await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        raw: 'reason=x',
        headers: { 'content-type': 'text/plain' },
      }),
      'too large 413': await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: 'x'.repeat(70 * 1024) },
      }),
      'bad input 400': await call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason: '' } }),
      'owner list 200': await call(relay.url, '/api/v1/agents', { token: relay.ownerToken }),
    };
    expect(answers['read 200'].status).toBe(200);
    expect(answers['too large 413'].status).toBe(413);
    for (const [what, answer] of Object.entries(answers)) {
      expectSecurityHeaders(answer.headers, what);
      expect(answer.headers.get('cache-control'), what).toBe('no-store');
      expect(answer.headers.get('content-type'), what).toMatch(/^application\/json/);
      if (answer.status >= 400)
        expect(answer.body.error.requestId, what).toBe(answer.headers.get('x-request-id'));
    }
  });

  it('gives an event stream the same headers', async () => {
    const controller = new AbortController();
    const res = await fetch(`${relay.url}/api/v1/otp/${otpId}/events`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectSecurityHeaders(res.headers, 'event stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    controller.abort();
  });

  it('gives pages, the document and health their own caching and the security headers', async () => {
    const health = await call(relay.url, '/healthz');
    expectSecurityHeaders(health.headers, '/healthz');
    expect(health.headers.get('cache-control')).toBe('no-store');
    const page = await fetch(`${relay.url}/`);
    expectSecurityHeaders(page.headers, 'dashboard page');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    await page.text();
    const document = await call(relay.url, '/openapi.json');
    expect(document.status).toBe(200);
    expectSecurityHeaders(document.headers, '/openapi.json');
    expect(document.headers.get('cache-control')).toBeNull();
  });

  it('echoes a plain client request ID and replaces anything else', async () => {
    const plain = await call(relay.url, '/healthz', { headers: { 'x-request-id': 'client-42=abc' } });
    expect(plain.headers.get('x-request-id')).toBe('client-42=abc');
    for (const hostile of ['has space', 'x'.repeat(256), 'semi;colon', 'new\u00e9line']) {
      const res = await call(relay.url, '/healthz', {
        headers: { 'x-request-id': encodeURI(hostile) === hostile ? hostile : 'a%0d' },
      });
      expect(res.headers.get('x-request-id'), hostile).toMatch(UUID);
    }
  });

  it('logs API calls at info and static files and passing health probes at debug, with no credential', async () => {
    const before = requestLines(relay).length;
    await call(relay.url, '/healthz');
    await fetch(`${relay.url}/`).then((res) => res.text());
    const read = await call(relay.url, `/api/v1/otp/${otpId}`, { token: apiKey });
    const lines = requestLines(relay).slice(before);
    const byPath = (path: string) => lines.find((line) => line.path === path);
    expect(byPath('/healthz')).toMatchObject({ level: 20, method: 'GET', status: 200 });
    expect(byPath('/')).toMatchObject({ level: 20, method: 'GET' });
    expect(byPath(`/api/v1/otp/${otpId}`)).toMatchObject({
      level: 30,
      method: 'GET',
      status: 200,
      requestId: read.headers.get('x-request-id'),
    });
    expect(typeof byPath(`/api/v1/otp/${otpId}`)?.ms).toBe('number');
    expect(relay.logs.join('\n')).not.toContain(apiKey);
    expect(relay.logs.join('\n')).not.toContain(relay.ownerToken);
  });
});
