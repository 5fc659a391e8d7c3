// The seed documents' examples, pasted as written and run against the real relay.
// Imports from the three seed blocks are merged into one statement each (a module may
// import a name once); the code blocks themselves are unchanged.
import { format } from 'node:util';
import {
  AgentOTPClient,
  AgentOTPError,
  AuthenticationError,
  DecryptionError,
  exportPublicKey,
  generateKeyPair,
  OTPAlreadyConsumedError,
  OTPApprovalDeniedError,
  OTPExpiredError,
  OTPNotFoundError,
  OTPRequestStatus,
  RateLimitError,
  ValidationError,
} from '@orrisai/agent-otp-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { captureAcmeEmail, decide, ownerJson, waitForPendingRequest } from './support/owner.js';

describeEachDialect('seed examples', (dialect) => {
  let relay: TestRelay;
  let liveAgent: { id: string; apiKey: string };
  let testAgent: { id: string; apiKey: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    liveAgent = await relay.createAgent({ name: 'seed-live' });
    testAgent = await relay.createAgent({ name: 'seed-test', test: true });
    vi.stubEnv('AGENT_OTP_URL', relay.url);
    vi.stubEnv('AGENT_OTP_API_KEY', liveAgent.apiKey);
    vi.stubEnv('AGENT_OTP_TEST_KEY', testAgent.apiKey);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await relay?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The owner's side of the quick start: approve in the dashboard, then Acme's email arrives. */
  async function ownerApprovesThenAcmeEmails(): Promise<void> {
    const pending = await waitForPendingRequest(
      relay,
      (r) => r.reason === 'Sign up verification for Acme Inc',
    );
    expect(pending.agent.id).toBe(liveAgent.id);
    await decide(relay, pending.id, 'approve');
    const captured = await captureAcmeEmail(relay);
    expect(captured).toMatchObject({ matched: true, requestId: pending.id, reason: 'delivered' });
  }

  it('seed 000 quick start: the owner approves, the Acme email arrives, the agent logs the code', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const owner = ownerApprovesThenAcmeEmails();

    // ---- seed 000, TypeScript quick start, as written ----
    const client = new AgentOTPClient({
      apiKey: process.env.AGENT_OTP_API_KEY,
    });

    // Generate encryption keys
    const { publicKey, privateKey } = await generateKeyPair();

    // Request an OTP
    const request = await client.requestOTP({
      reason: 'Sign up verification for Acme Inc',
      expectedSender: 'Acme',
      filter: {
        sources: ['email'],
        senderPattern: '*@acme.com',
      },
      publicKey: await exportPublicKey(publicKey),
      waitForOTP: true,
      timeout: 120000,
    });

    // Consume the OTP
    if (request.status === 'otp_received') {
      const { code } = await client.consumeOTP(request.id, privateKey);
      console.log('Received OTP:', code);
    }
    // ---- end of seed ----

    await owner;
    expect(log.mock.calls.map((args) => format(...args))).toEqual(['Received OTP: 847291']);
    const after = await client.getOTPStatus(request.id);
    expect(after.status).toBe(OTPRequestStatus.CONSUMED);
  });

  // ---- seed 004, "Testing Integration", as written ----
  describe('OTP Integration', () => {
    let otp: AgentOTPClient;
    let publicKey: CryptoKey;
    let privateKey: CryptoKey;

    beforeAll(async () => {
      // Use test API key (auto-approves requests)
      otp = new AgentOTPClient({
        apiKey: process.env.AGENT_OTP_TEST_KEY!,
      });
      const keyPair = await generateKeyPair();
      publicKey = keyPair.publicKey;
      privateKey = keyPair.privateKey;
    });

    it('should request and consume OTP', async () => {
      const request = await otp.requestOTP({
        reason: 'Test verification',
        publicKey: await exportPublicKey(publicKey),
        waitForOTP: true,
      });

      expect(request.status).toBe('otp_received');

      const { code } = await otp.consumeOTP(request.id, privateKey);
      expect(code).toBeDefined();
      expect(code.length).toBeGreaterThan(0);
    });

    it('should handle cancellation', async () => {
      const request = await otp.requestOTP({
        reason: 'Test cancellation',
        publicKey: await exportPublicKey(publicKey),
        waitForOTP: false,
      });

      await otp.cancelOTPRequest(request.id);

      const status = await otp.getOTPStatus(request.id);
      expect(status.status).toBe('cancelled');
    });
  });
  // ---- end of seed ----

  describe('seed 004 "Error Handling Best Practices"', () => {
    let otp: AgentOTPClient;
    let publicKey: CryptoKey;
    let privateKey: CryptoKey;

    // ---- seed 004, as written ----
    async function executeWithOTP(action: string): Promise<{
      success: boolean;
      code?: string;
      error?: string;
      retryAfter?: number;
    }> {
      try {
        const request = await otp.requestOTP({
          reason: action,
          publicKey: await exportPublicKey(publicKey),
          waitForOTP: true,
        });

        if (request.status === 'otp_received') {
          const { code } = await otp.consumeOTP(request.id, privateKey);
          return { success: true, code };
        }

        return { success: false, error: `Status: ${request.status}` };
      } catch (error) {
        if (error instanceof AuthenticationError) {
          // API key issue
          console.error('Invalid API key');
          return { success: false, error: 'Authentication failed' };
        }
        if (error instanceof RateLimitError) {
          // Queue for retry
          return {
            success: false,
            error: 'Rate limited',
            retryAfter: error.retryAfter,
          };
        }
        if (error instanceof ValidationError) {
          // Invalid request
          return { success: false, error: `Validation: ${error.message}` };
        }
        if (error instanceof OTPApprovalDeniedError) {
          return { success: false, error: 'User denied the request' };
        }
        if (error instanceof OTPExpiredError) {
          return { success: false, error: 'Request expired' };
        }
        if (error instanceof OTPAlreadyConsumedError) {
          return { success: false, error: 'OTP already consumed' };
        }
        if (error instanceof DecryptionError) {
          return { success: false, error: 'Decryption failed - check keys' };
        }
        // Unknown error
        throw error;
      }
    }
    // ---- end of seed ----

    beforeAll(async () => {
      ({ publicKey, privateKey } = await generateKeyPair());
    });

    it('succeeds with a test key', async () => {
      otp = new AgentOTPClient({ apiKey: testAgent.apiKey });
      const result = await executeWithOTP('signup');
      expect(result.success).toBe(true);
      expect(result.code).toMatch(/^\d{6}$/);
    });

    it('reports a revoked key as an AuthenticationError', async () => {
      const doomed = await relay.createAgent({ name: 'seed-revoked', test: true });
      await ownerJson(relay, `/api/v1/agents/${doomed.id}/revoke`, { method: 'POST' });
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      otp = new AgentOTPClient({ apiKey: doomed.apiKey });
      expect(await executeWithOTP('signup')).toEqual({ success: false, error: 'Authentication failed' });
      expect(error).toHaveBeenCalledWith('Invalid API key');
    });

    it('reports a short key as a ValidationError naming the field', async () => {
      otp = new AgentOTPClient({ apiKey: testAgent.apiKey });
      const weak = await crypto.subtle.generateKey(
        { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['encrypt', 'decrypt'],
      );
      const strongPublicKey = publicKey;
      publicKey = weak.publicKey;
      try {
        const result = await executeWithOTP('signup');
        expect(result.success).toBe(false);
        expect(result.error).toMatch(/^Validation: .*publicKey.*2048/);
      } finally {
        publicKey = strongPublicKey;
      }
    });

    it('every error class is an AgentOTPError and instanceof tells them apart', async () => {
      otp = new AgentOTPClient({ apiKey: testAgent.apiKey });
      const request = await otp.requestOTP({ reason: 'twice', publicKey: await exportPublicKey(publicKey) });
      await otp.consumeOTP(request.id, privateKey);
      const second = await otp.consumeOTP(request.id, privateKey).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(OTPAlreadyConsumedError);
      expect(second).toBeInstanceOf(AgentOTPError);
      expect(second).not.toBeInstanceOf(OTPExpiredError);
      expect(second).toMatchObject({
        code: 'OTP_ALREADY_CONSUMED',
        status: 409,
        name: 'OTPAlreadyConsumedError',
      });
      const missing = await otp.getOTPStatus('otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(OTPNotFoundError);
      expect((missing as OTPNotFoundError).requestId).toBeTruthy();
    });
  });

  describe('seed 004 "TypeScript Implementation" (SecureAgentExecutor)', () => {
    it('runs as written with a test key', async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      // ---- seed 004, as written (the client reads AGENT_OTP_API_KEY: here a test key) ----
      vi.stubEnv('AGENT_OTP_API_KEY', testAgent.apiKey);
      // Initialize client
      const otp = new AgentOTPClient({
        apiKey: process.env.AGENT_OTP_API_KEY!,
      });

      // Generate key pair once per agent session
      const { publicKey, privateKey } = await generateKeyPair();

      // Your agent's OTP-enabled action executor
      class SecureAgentExecutor {
        private otp: AgentOTPClient;
        private publicKey: CryptoKey;
        private privateKey: CryptoKey;

        constructor(otpClient: AgentOTPClient, publicKey: CryptoKey, privateKey: CryptoKey) {
          this.otp = otpClient;
          this.publicKey = publicKey;
          this.privateKey = privateKey;
        }

        async executeWithOTP(
          action: string,
          params: Record<string, unknown>,
        ): Promise<{ success: boolean; code?: string; error?: string }> {
          // 1. Request OTP
          const request = await this.otp.requestOTP({
            reason: `${action}: ${JSON.stringify(params)}`,
            expectedSender: params.service as string,
            filter: params.filter as { sources?: string[]; senderPattern?: string },
            publicKey: await exportPublicKey(this.publicKey),
            waitForOTP: true,
            timeout: 120000,
          });

          // 2. Check status
          if (request.status !== 'otp_received') {
            return {
              success: false,
              error: `OTP request failed: ${request.status}`,
            };
          }

          // 3. Consume the OTP
          try {
            const { code } = await this.otp.consumeOTP(request.id, this.privateKey);
            return { success: true, code };
          } catch (error) {
            return {
              success: false,
              error: `Failed to consume OTP: ${error}`,
            };
          }
        }
      }

      // Usage
      const executor = new SecureAgentExecutor(otp, publicKey, privateKey);
      const result = await executor.executeWithOTP('signup_verification', {
        service: 'Acme Inc',
        email: 'user@example.com',
        filter: {
          sources: ['email'],
          senderPattern: '*@acme.com',
        },
      });

      if (result.success) {
        console.log('Received OTP:', result.code);
        // Use the code for verification
      }
      // ---- end of seed ----
      vi.stubEnv('AGENT_OTP_API_KEY', liveAgent.apiKey);
      expect(log.mock.calls.map((args) => format(...args))).toEqual([`Received OTP: ${result.code}`]);
      expect(result.code).toMatch(/^\d{6}$/);
    });
  });
});
