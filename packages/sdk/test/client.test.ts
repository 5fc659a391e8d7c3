import {
  AgentOTPClient,
  AgentOTPError,
  AuthenticationError,
  DecryptionError,
  decryptOTPPayload,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  importPrivateKey,
  keyFingerprint,
  OTPAlreadyConsumedError,
  OTPCancelledError,
  OTPNotFoundError,
  OTPNotReadyError,
  type OTPRequest,
  type PendingApprovalInfo,
  RateLimitError,
  ValidationError,
} from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { captureAcmeEmail, decide, ownerJson, waitForPendingRequest } from './support/owner.js';

/** A fetch that records every call (and the signal it carried) before passing it on. */
function recordingFetch(inner: typeof fetch = fetch) {
  const calls: Array<{ method: string; url: string; signal: AbortSignal | undefined }> = [];
  const wrapped: typeof fetch = (input, init) => {
    calls.push({ method: init?.method ?? 'GET', url: String(input), signal: init?.signal ?? undefined });
    return inner(input, init);
  };
  return { calls, fetch: wrapped };
}

const ACME = { sources: ['email'], senderPattern: '*@acme.com' } as const;

describeEachDialect('AgentOTPClient against the relay', (dialect) => {
  let relay: TestRelay;
  let live: { id: string; apiKey: string };
  let keys: CryptoKeyPair;
  let publicKeyText: string;
  let client: AgentOTPClient;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    live = await relay.createAgent({ name: 'sdk-live' });
    keys = await generateKeyPair();
    publicKeyText = await exportPublicKey(keys.publicKey);
    client = new AgentOTPClient({ apiKey: live.apiKey, baseUrl: relay.url });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  /** A live request that the owner approved and Acme's email then served. */
  async function readyRequest(reason: string, code = '847291'): Promise<OTPRequest> {
    const created = await client.requestOTP({ reason, filter: ACME, publicKey: publicKeyText });
    await decide(relay, created.id, 'approve');
    expect(await captureAcmeEmail(relay, `Your code is ${code}`)).toMatchObject({ requestId: created.id });
    const ready = await client.waitForOTP(created.id, { timeout: 5_000 });
    expect(ready.status).toBe('otp_received');
    return ready;
  }

  describe('consume', () => {
    it('hands the code out once; a second consume is OTPAlreadyConsumedError', async () => {
      const request = await readyRequest('consume twice');
      const first = await client.consumeOTP(request.id, keys.privateKey);
      expect(first.code).toBe('847291');
      expect(first.metadata).toMatchObject({
        source: 'email',
        sender: 'noreply@acme.com',
        requestId: request.id,
      });
      const second = client.consumeOTP(request.id, keys.privateKey);
      await expect(second).rejects.toBeInstanceOf(OTPAlreadyConsumedError);
      await expect(second).rejects.toMatchObject({ status: 409, code: 'OTP_ALREADY_CONSUMED' });
    });

    it('of 50 concurrent consumes exactly one gets the code; 49 get OTPAlreadyConsumedError', async () => {
      const request = await readyRequest('fifty consumers', '551234');
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => client.consumeOTP(request.id, keys.privateKey)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(won[0]?.value.code).toBe('551234');
      expect(lost).toHaveLength(49);
      for (const failure of lost) expect(failure.reason).toBeInstanceOf(OTPAlreadyConsumedError);
    });

    it('refuses a payload made for another request (DecryptionError), even from a relay that swaps it', async () => {
      const x = await readyRequest('payload X', '111111');
      const y = await readyRequest('payload Y', '222222');
      // Take X's ciphertext straight from the API, as a compromised relay could.
      const raw = await fetch(`${relay.url}/api/v1/otp/${x.id}/consume`, {
        method: 'POST',
        headers: { authorization: `Bearer ${live.apiKey}` },
      });
      const { encryptedPayload: payloadX } = (await raw.json()) as { encryptedPayload: string };
      expect(await decryptOTPPayload(payloadX, keys.privateKey, { requestId: x.id })).toBe('111111');
      const misaddressed = decryptOTPPayload(payloadX, keys.privateKey, { requestId: y.id });
      await expect(misaddressed).rejects.toBeInstanceOf(DecryptionError);
      await expect(misaddressed).rejects.toThrow(/made for request .* not /);

      // A relay answering Y's consume with X's ciphertext: the SDK refuses to return '111111'.
      const swapping: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).endsWith(`/${y.id}/consume`)) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return Response.json({ ...body, encryptedPayload: payloadX }, { status: response.status });
      };
      const fooled = new AgentOTPClient({ apiKey: live.apiKey, baseUrl: relay.url, fetch: swapping });
      await expect(fooled.consumeOTP(y.id, keys.privateKey)).rejects.toBeInstanceOf(DecryptionError);
    });

    it('a wrong private key is refused before the code is consumed', async () => {
      const request = await readyRequest('wrong key first', '333333');
      await expect(client.consumeOTP(request.id, keys.publicKey)).rejects.toBeInstanceOf(DecryptionError);
      expect((await client.getOTPStatus(request.id)).status).toBe('otp_received');
      expect((await client.consumeOTP(request.id, keys.privateKey)).code).toBe('333333');
    });

    it('consuming before the code arrived is OTPNotReadyError', async () => {
      const created = await client.requestOTP({ reason: 'too early', publicKey: publicKeyText });
      await expect(client.consumeOTP(created.id, keys.privateKey)).rejects.toBeInstanceOf(OTPNotReadyError);
      await client.cancelOTPRequest(created.id);
    });
  });

  describe('waiting', () => {
    it('calls onPendingApproval exactly once and waits by long-poll, not fixed-interval polling', async () => {
      const recorder = recordingFetch();
      const watched = new AgentOTPClient({ apiKey: live.apiKey, baseUrl: relay.url, fetch: recorder.fetch });
      const seen: PendingApprovalInfo[] = [];
      const owner = (async () => {
        const pending = await waitForPendingRequest(relay, (r) => r.reason === 'pending callback');
        // The code arrives while the request still waits for approval: it is held, and the
        // waiting agent is woken without a status change.
        await captureAcmeEmail(relay, 'Your code is 424242');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await decide(relay, pending.id, 'approve');
      })();
      const request = await watched.requestOTP({
        reason: 'pending callback',
        filter: ACME,
        publicKey: publicKeyText,
        waitForOTP: true,
        timeout: 10_000,
        onPendingApproval: (info) => {
          seen.push(info);
        },
      });
      await owner;
      expect(request.status).toBe('otp_received');
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual({
        id: request.id,
        approvalUrl: request.approvalUrl,
        expiresAt: request.expiresAt,
        keyFingerprint: request.keyFingerprint,
        reason: 'pending callback',
      });
      const reads = recorder.calls.filter((c) => c.method === 'GET');
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(4);
      for (const read of reads) expect(read.url).toMatch(/\?wait=(\d+)$/);
      for (const read of reads) expect(Number(read.url.split('=')[1])).toBeLessThanOrEqual(30);
      expect((await watched.consumeOTP(request.id, keys.privateKey)).code).toBe('424242');
    });

    it('returns status denied without throwing when the owner denies', async () => {
      const owner = (async () => {
        const pending = await waitForPendingRequest(relay, (r) => r.reason === 'will be denied');
        await decide(relay, pending.id, 'deny');
      })();
      const request = await client.requestOTP({
        reason: 'will be denied',
        publicKey: publicKeyText,
        waitForOTP: true,
        timeout: 10_000,
      });
      await owner;
      expect(request.status).toBe('denied');
      expect(request.decision).toMatchObject({ outcome: 'denied' });
    });

    it('honours timeout: returns the last status (pending_approval) after ~1.5 s', async () => {
      const started = Date.now();
      const request = await client.requestOTP({
        reason: 'nobody answers',
        publicKey: publicKeyText,
        waitForOTP: true,
        timeout: 1500,
      });
      const elapsed = Date.now() - started;
      expect(request.status).toBe('pending_approval');
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(3000);
      await client.cancelOTPRequest(request.id);
    });

    it('an AbortSignal stops a wait promptly and aborts the fetch in flight', async () => {
      const recorder = recordingFetch();
      const watched = new AgentOTPClient({ apiKey: live.apiKey, baseUrl: relay.url, fetch: recorder.fetch });
      const created = await watched.requestOTP({ reason: 'aborted wait', publicKey: publicKeyText });
      const controller = new AbortController();
      const reason = new Error('agent shutting down');
      setTimeout(() => controller.abort(reason), 300);
      const started = Date.now();
      await expect(
        watched.waitForOTP(created.id, { timeout: 60_000, signal: controller.signal }),
      ).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(1500);
      const longPoll = recorder.calls.at(-1);
      expect(longPoll?.url).toMatch(/\?wait=30$/);
      expect(longPoll?.signal?.aborted).toBe(true);

      // requestOTP with an already-aborted signal sends nothing.
      const before = recorder.calls.length;
      await expect(
        watched.requestOTP({ reason: 'never sent', publicKey: publicKeyText, signal: AbortSignal.abort() }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(recorder.calls.length).toBe(before);
      await watched.cancelOTPRequest(created.id);
    });
  });

  describe('cancel', () => {
    it('cancels an open request; its status is cancelled and a consume is refused', async () => {
      const created = await client.requestOTP({ reason: 'cancel me', publicKey: publicKeyText });
      await client.cancelOTPRequest(created.id);
      expect((await client.getOTPStatus(created.id)).status).toBe('cancelled');
      await client.cancelOTPRequest(created.id); // already cancelled: still fine
      await expect(client.consumeOTP(created.id, keys.privateKey)).rejects.toBeInstanceOf(OTPCancelledError);
    });
  });

  describe('errors', () => {
    it('a revoked key is AuthenticationError', async () => {
      const doomed = await relay.createAgent({ name: 'sdk-revoked' });
      await ownerJson(relay, `/api/v1/agents/${doomed.id}/revoke`, { method: 'POST' });
      const revoked = new AgentOTPClient({ apiKey: doomed.apiKey, baseUrl: relay.url });
      const failure = revoked.requestOTP({ reason: 'revoked', publicKey: publicKeyText });
      await expect(failure).rejects.toBeInstanceOf(AuthenticationError);
      await expect(failure).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });

    it('a missing API key is AuthenticationError with a clear message, before any request', () => {
      const saved = process.env.AGENT_OTP_API_KEY;
      delete process.env.AGENT_OTP_API_KEY;
      try {
        expect(() => new AgentOTPClient({ apiKey: undefined, baseUrl: relay.url })).toThrow(
          AuthenticationError,
        );
        expect(() => new AgentOTPClient({ baseUrl: relay.url })).toThrow(/AGENT_OTP_API_KEY/);
      } finally {
        if (saved !== undefined) process.env.AGENT_OTP_API_KEY = saved;
      }
    });

    it('an RSA-1024 public key is a ValidationError that mentions 2048', async () => {
      const weak = await crypto.subtle.generateKey(
        { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['encrypt', 'decrypt'],
      );
      const failure = client.requestOTP({
        reason: 'weak key',
        publicKey: await exportPublicKey(weak.publicKey),
      });
      await expect(failure).rejects.toBeInstanceOf(ValidationError);
      await expect(failure).rejects.toThrow(/2048/);
      await expect(failure).rejects.toMatchObject({ status: 400, code: 'INVALID_PUBLIC_KEY' });
    });

    it('the server names the invalid field in a ValidationError', async () => {
      const failure = client.requestOTP({ reason: 'short ttl', publicKey: publicKeyText, ttl: 5 });
      await expect(failure).rejects.toBeInstanceOf(ValidationError);
      await expect(failure).rejects.toThrow('body.ttl: ttl must be at least 30 seconds');
    });

    it("another agent's request is OTPNotFoundError for every call", async () => {
      const other = await relay.createAgent({ name: 'sdk-other' });
      const otherClient = new AgentOTPClient({ apiKey: other.apiKey, baseUrl: relay.url });
      const theirs = await otherClient.requestOTP({ reason: 'not yours', publicKey: publicKeyText });
      await expect(client.getOTPStatus(theirs.id)).rejects.toBeInstanceOf(OTPNotFoundError);
      await expect(client.waitForOTP(theirs.id, { timeout: 1000 })).rejects.toBeInstanceOf(OTPNotFoundError);
      await expect(client.consumeOTP(theirs.id, keys.privateKey)).rejects.toBeInstanceOf(OTPNotFoundError);
      await expect(client.cancelOTPRequest(theirs.id)).rejects.toBeInstanceOf(OTPNotFoundError);
      expect((await otherClient.getOTPStatus(theirs.id)).status).toBe('pending_approval');
      await otherClient.cancelOTPRequest(theirs.id);
    });

    it('every SDK error is an AgentOTPError carrying the server request id', async () => {
      const failure = await client.getOTPStatus('otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AgentOTPError);
      expect((failure as AgentOTPError).requestId).toMatch(/\S/);
    });
  });

  describe('keys', () => {
    it("keyFingerprint equals the server's keyFingerprint, from the CryptoKey or its exported text", async () => {
      const created = await client.requestOTP({ reason: 'fingerprint', publicKey: keys.publicKey });
      expect(await keyFingerprint(keys.publicKey)).toBe(created.keyFingerprint);
      expect(await keyFingerprint(publicKeyText)).toBe(created.keyFingerprint);
      expect(created.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
      await client.cancelOTPRequest(created.id);
    });

    it('a private key exported and imported again (base64 or PEM) still decrypts the code', async () => {
      const pair = await generateKeyPair({ modulusLength: 3072 });
      const saved = await exportPrivateKey(pair.privateKey);
      const pem = `-----BEGIN PRIVATE KEY-----\n${saved.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`;
      const created = await client.requestOTP({
        reason: 'restored key',
        filter: ACME,
        publicKey: await exportPublicKey(pair.publicKey),
      });
      await decide(relay, created.id, 'approve');
      await captureAcmeEmail(relay, 'Your code is 909090');
      expect((await client.waitForOTP(created.id, { timeout: 5000 })).status).toBe('otp_received');
      const restored = await importPrivateKey(pem);
      expect(restored.extractable).toBe(false);
      expect((await importPrivateKey(saved)).type).toBe('private');
      expect((await client.consumeOTP(created.id, restored)).code).toBe('909090');
    });
  });
});

describe('AgentOTPClient configuration', () => {
  it('reads the key and URL from the environment and rejects non-agent keys', () => {
    const saved = { key: process.env.AGENT_OTP_API_KEY, url: process.env.AGENT_OTP_URL };
    process.env.AGENT_OTP_API_KEY = 'ak_test_fromenv';
    process.env.AGENT_OTP_URL = 'http://127.0.0.1:9/';
    try {
      expect(new AgentOTPClient().baseUrl).toBe('http://127.0.0.1:9');
      delete process.env.AGENT_OTP_URL;
      expect(new AgentOTPClient().baseUrl).toBe('http://localhost:8787');
      expect(() => new AgentOTPClient({ apiKey: 'cs_source_token' })).toThrow(AuthenticationError);
      expect(() => new AgentOTPClient({ baseUrl: 'ftp://relay' })).toThrow(ValidationError);
      expect(() => new AgentOTPClient({ maxRetries: -1 })).toThrow(ValidationError);
    } finally {
      for (const [name, value] of [
        ['AGENT_OTP_API_KEY', saved.key],
        ['AGENT_OTP_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('does not show the API key when the client is logged', async () => {
    const { inspect } = await import('node:util');
    const secret = 'ak_live_do_not_print_me';
    expect(inspect(new AgentOTPClient({ apiKey: secret }), { depth: 5, showHidden: true })).not.toContain(
      secret,
    );
  });

  it('generateKeyPair refuses moduli other than 2048, 3072 and 4096', async () => {
    await expect(generateKeyPair({ modulusLength: 1024 as 2048 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describeEachDialect('AgentOTPClient against a rate-limited relay', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '1' } });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it("surfaces 429 as RateLimitError with the relay's Retry-After", async () => {
    const agent = await relay.createAgent({ name: 'sdk-limited' });
    const limited = new AgentOTPClient({ apiKey: agent.apiKey, baseUrl: relay.url, maxRetries: 0 });
    const missing = 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
    await expect(limited.getOTPStatus(missing)).rejects.toBeInstanceOf(OTPNotFoundError);
    const failure = await limited.getOTPStatus(missing).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((failure as RateLimitError).retryAfter).toBeGreaterThanOrEqual(1);
    expect((failure as RateLimitError).retryAfter).toBeLessThanOrEqual(10);
  });
});
