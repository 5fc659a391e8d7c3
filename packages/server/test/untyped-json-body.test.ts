// Issue 17 (newcomer papercuts): the seeds' HTTP examples post JSON with no Content-Type and
// got a bare 415. A body without a type is read as JSON when it parses; any other type (or
// a non-JSON untyped body, or an untyped one from a browser page) is 415 naming the header.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

interface Answer {
  id?: string;
  status?: string;
  error?: { code: string; message: string };
}

describeEachDialect('request bodies without a Content-Type', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent());
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  /** POST /api/v1/otp; a byte body makes fetch send no Content-Type unless one is given. */
  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${relay.url}/api/v1/otp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, ...headers },
      body: new TextEncoder().encode(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  }

  it('reads an untyped body as JSON when it parses, and validates it like any other', async () => {
    const created = await post(JSON.stringify({ reason: 'Sign in to Acme', publicKey }));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^otp_/);
    expect(created.body.status).toBe('pending_approval');

    const invalid = await post(JSON.stringify({ reason: 'Sign in to Acme', publicKey, colour: 'blue' }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.message).toMatch(/colour/);
  });

  it('answers an untyped body that is not JSON with 415 naming the header to send', async () => {
    const res = await post('reason=Sign in');
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error?.message).toContain('Content-Type: application/json');
  });

  it('answers a wrong type with 415 naming the header, the expected value and the type sent', async () => {
    const res = await post(JSON.stringify({ reason: 'x', publicKey }), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error?.message).toBe(
      'request body must be JSON (Content-Type: application/json), not text/plain',
    );
  });

  it('keeps refusing an untyped body from a browser page (no CORS preflight guards it)', async () => {
    const res = await post(JSON.stringify({ reason: 'x', publicKey }), { origin: 'https://evil.example' });
    expect(res.status).toBe(415);
    expect(res.body.error?.message).toContain('Content-Type: application/json');
  });
});
