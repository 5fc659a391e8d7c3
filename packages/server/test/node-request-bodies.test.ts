// Issue 18: under Node, JSON bodies are read straight from Node's request and headers from its
// raw headers, instead of through a WHATWG Request and Headers built for every call. The
// answers must not change: bodies sent in chunks (no Content-Length) are limited by counting,
// a repeated header is the values joined as WHATWG Headers joins them (Node's own headers
// object keeps only the first Authorization or Content-Type), and the text is decoded as
// `Request.text()` decodes it.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

interface Answer {
  status: number;
  connection: string | undefined;
  body: { id?: string; error?: { code: string; message: string } };
}

/** A raw POST: each header value may repeat, and chunks are sent with Transfer-Encoding: chunked. */
function post(
  url: string,
  headers: Record<string, string | string[]>,
  chunks: (string | Uint8Array)[],
  { method = 'POST', path = '/api/v1/otp' } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const sent = request(`${url}${path}`, { method }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          body: JSON.parse(text),
        }),
      );
    });
    for (const [name, value] of Object.entries(headers)) sent.setHeader(name, value);
    // A refused body may be cut off mid-send; the answer has already come.
    sent.on('error', (error) => (error.message.includes('EPIPE') ? undefined : reject(error)));
    for (const chunk of chunks) sent.write(chunk);
    sent.end();
  });
}

describeEachDialect('request bodies and headers read from Node', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent());
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  const json = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ reason: 'Sign in to Acme', publicKey, ...extra });
  const typed = () => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' });

  it('reads a JSON body sent in chunks, without a Content-Length', async () => {
    const body = json();
    const res = await post(relay.url, typed(), [body.slice(0, 20), body.slice(20)]);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^otp_/);
  });

  it('refuses a chunked body once it grows past 64 KiB, and closes the connection', async () => {
    const chunk = `${' '.repeat(16 * 1024)}`;
    const res = await post(relay.url, typed(), [
      json().slice(0, -1),
      ...Array.from({ length: 5 }, () => chunk),
      '}',
    ]);
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.error?.message).toBe('request body is larger than 64 KiB');
    expect(res.connection).toBe('close');
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const body = json({ note: 'x'.repeat(70 * 1024) });
    const res = await post(relay.url, { ...typed(), 'content-length': String(Buffer.byteLength(body)) }, [
      body,
    ]);
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('ignores a body sent with a GET, however large, as @hono/node-server does', async () => {
    const created = await post(relay.url, typed(), [json()]);
    const body = 'x'.repeat(70 * 1024);
    const res = await post(
      relay.url,
      { authorization: `Bearer ${apiKey}`, 'content-length': String(body.length) },
      [body],
      {
        method: 'GET',
        path: `/api/v1/otp/${created.body.id}`,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.body.id);
  });

  it('answers a malformed JSON body with MALFORMED_JSON', async () => {
    const res = await post(relay.url, typed(), ['{"reason": "x", ']);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('MALFORMED_JSON');
  });

  it('drops a leading byte-order mark, as Request.text() does', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json())]);
    const res = await post(relay.url, typed(), [body]);
    expect(res.status).toBe(201);
  });

  it('joins a repeated Authorization header, so two credentials are refused rather than the first one taken', async () => {
    const bearer = `Bearer ${apiKey}`;
    const res = await post(relay.url, { ...typed(), authorization: [bearer, bearer] }, [json()]);
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('UNAUTHORIZED');
  });

  it('joins a repeated Content-Type header, so JSON followed by another type is refused', async () => {
    const res = await post(relay.url, { ...typed(), 'content-type': ['application/json', 'text/plain'] }, [
      json(),
    ]);
    expect(res.status).toBe(415);
    expect(res.body.error?.message).toBe(
      'request body must be JSON (Content-Type: application/json), not application/json, text/plain',
    );
  });
});
