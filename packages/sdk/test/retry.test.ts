import { createServer } from 'node:net';
import {
  AgentOTPClient,
  type AgentOTPClientOptions,
  AgentOTPError,
  NetworkError,
  OTPApprovalDeniedError,
  RateLimitError,
  ServerError,
} from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  dropConnection,
  hang,
  json,
  OTP_ID,
  otpRequestBody,
  type ScriptedServer,
  startScriptedServer,
} from './support/scripted-server.js';

const API_KEY = 'ak_live_scripted';
const PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA';

/** A port nobody listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('retry policy (scripted HTTP stand-in)', () => {
  let server: ScriptedServer;
  const client = (options: AgentOTPClientOptions = {}) =>
    new AgentOTPClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 3, timeoutMs: 2_000, ...options });

  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('retries a status read on 503 and succeeds', async () => {
    server.script([
      apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' }),
      apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' }),
      json(200, otpRequestBody('approved')),
    ]);
    expect((await client().getOTPStatus(OTP_ID)).status).toBe('approved');
    expect(server.hits).toHaveLength(3);
    expect(server.hits[0]?.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('retries on 429 after waiting the Retry-After seconds', async () => {
    server.script([apiError(429, 'RATE_LIMITED', { 'retry-after': '1' }), json(200, otpRequestBody())]);
    const started = Date.now();
    await client().getOTPStatus(OTP_ID);
    const elapsed = Date.now() - started;
    expect(server.hits).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('retries a create on 429 (the relay refused it before doing anything)', async () => {
    server.script([apiError(429, 'RATE_LIMITED', { 'retry-after': '0' }), json(201, otpRequestBody())]);
    const created = await client().requestOTP({ reason: 'retry test', publicKey: PUBLIC_KEY, ttl: 60 });
    expect(created.id).toBe(OTP_ID);
    expect(server.hits).toHaveLength(2);
    expect(server.hits[1]?.contentType).toBe('application/json');
    expect(JSON.parse(server.hits[1]?.body ?? '')).toEqual({
      reason: 'retry test',
      publicKey: PUBLIC_KEY,
      ttl: 60,
    });
  });

  it('retries a status read after network errors (connection dropped mid-request)', async () => {
    server.script([dropConnection, dropConnection, json(200, otpRequestBody('otp_received'))]);
    expect((await client().getOTPStatus(OTP_ID)).status).toBe('otp_received');
    expect(server.hits).toHaveLength(3);
  });

  it('never retries consume after a 500: the code may already be gone', async () => {
    server.script([apiError(500, 'INTERNAL_ERROR'), json(200, { encryptedPayload: 'x' })]);
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['encrypt', 'decrypt'],
    );
    const failure = client().consumeOTP(OTP_ID, privateKey);
    await expect(failure).rejects.toBeInstanceOf(ServerError);
    await expect(failure).rejects.toMatchObject({ status: 500, requestId: 'req-scripted' });
    expect(server.hits).toHaveLength(1);
    expect(server.hits[0]).toMatchObject({ method: 'POST', url: `/api/v1/otp/${OTP_ID}/consume` });
  });

  it('never retries consume or create when the connection drops after sending', async () => {
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['encrypt', 'decrypt'],
    );
    server.script([dropConnection]);
    await expect(client().consumeOTP(OTP_ID, privateKey)).rejects.toBeInstanceOf(NetworkError);
    expect(server.hits).toHaveLength(1);
    server.script([dropConnection]);
    await expect(client().requestOTP({ reason: 'r', publicKey: PUBLIC_KEY })).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(server.hits).toHaveLength(1);
  });

  it('never retries a consume that timed out, but retries a status read that did', async () => {
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['encrypt', 'decrypt'],
    );
    server.script([hang]);
    const fast = client({ timeoutMs: 200, maxRetries: 2 });
    await expect(fast.consumeOTP(OTP_ID, privateKey)).rejects.toMatchObject({
      name: 'NetworkError',
      code: 'TIMEOUT',
    });
    expect(server.hits).toHaveLength(1);
    server.script([hang, json(200, otpRequestBody())]);
    expect((await fast.getOTPStatus(OTP_ID)).status).toBe('pending_approval');
    expect(server.hits).toHaveLength(2);
  });

  it('retries consume and create when the connection is refused (nothing was sent)', async () => {
    const port = await closedPort();
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const refused = new AgentOTPClient({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 2,
      fetch: counting,
    });
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['encrypt', 'decrypt'],
    );
    const failure = refused.consumeOTP(OTP_ID, privateKey);
    await expect(failure).rejects.toBeInstanceOf(NetworkError);
    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    expect(attempts).toBe(3);
    attempts = 0;
    await expect(refused.requestOTP({ reason: 'r', publicKey: PUBLIC_KEY })).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(attempts).toBe(3);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    server.script([apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' })]);
    const failure = client({ maxRetries: 2 }).getOTPStatus(OTP_ID);
    await expect(failure).rejects.toBeInstanceOf(ServerError);
    await expect(failure).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(server.hits).toHaveLength(3);

    server.script([apiError(429, 'RATE_LIMITED', { 'retry-after': '0' })]);
    const limited = await client({ maxRetries: 1 })
      .getOTPStatus(OTP_ID)
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfter).toBe(0);
    expect(server.hits).toHaveLength(2);
  });

  it('uses exponential backoff with jitter when there is no Retry-After', async () => {
    server.script([
      apiError(502, 'INTERNAL_ERROR'),
      apiError(502, 'INTERNAL_ERROR'),
      json(200, otpRequestBody()),
    ]);
    const started = Date.now();
    await client().getOTPStatus(OTP_ID);
    const elapsed = Date.now() - started;
    // 125–250 ms, then 250–500 ms.
    expect(elapsed).toBeGreaterThanOrEqual(375);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('does not sit out a Retry-After longer than the call budget: it surfaces as RateLimitError', async () => {
    server.script([apiError(429, 'RATE_LIMITED', { 'retry-after': '120' })]);
    const started = Date.now();
    const failure = await client()
      .getOTPStatus(OTP_ID)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect((failure as RateLimitError).retryAfter).toBe(120);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.hits).toHaveLength(1);
  });

  it('an abort during the backoff pause rejects at once', async () => {
    // 1 s fits the call's 2 s budget, so the SDK pauses; the abort ends the pause.
    server.script([apiError(429, 'RATE_LIMITED', { 'retry-after': '1' })]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 150);
    const started = Date.now();
    await expect(client().getOTPStatus(OTP_ID, { signal: controller.signal })).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('maps by error code first, HTTP status second', async () => {
    server.script([apiError(409, 'OTP_DENIED')]);
    await expect(client().getOTPStatus(OTP_ID)).rejects.toBeInstanceOf(OTPApprovalDeniedError);
    server.script([
      (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'),
    ]);
    const gateway = client({ maxRetries: 0 }).getOTPStatus(OTP_ID);
    await expect(gateway).rejects.toBeInstanceOf(ServerError);
    await expect(gateway).rejects.toMatchObject({ status: 502 });
    server.script([(_req, res) => res.writeHead(418).end()]);
    const teapot = await client()
      .getOTPStatus(OTP_ID)
      .catch((e: unknown) => e);
    expect(teapot).toBeInstanceOf(AgentOTPError);
    expect((teapot as AgentOTPError).status).toBe(418);
  });

  it('a 200 that is not the API shape is a ServerError, not a crash', async () => {
    server.script([json(200, { hello: 'world' })]);
    await expect(client().getOTPStatus(OTP_ID)).rejects.toMatchObject({
      name: 'ServerError',
      code: 'INVALID_RESPONSE',
    });
  });
});
