import { ConsumeOtpResponse, OtpRequest } from '@orrisai/agent-otp-contract';
import { exportPublicKey, openOTPPayload } from './crypto.js';
import { readEnvironment } from './environment.js';
import { AuthenticationError, DecryptionError, OTPCancelledError, ValidationError } from './errors.js';
import {
  cancelPermission,
  getPermission,
  type PermissionResult,
  type RequestPermissionOptions,
  requestPermission,
  useToken,
  verifyToken,
} from './permissions.js';
import { Transport } from './transport.js';
import type {
  AgentOTPClientOptions,
  GetOTPStatusOptions,
  OTPConsumeResult,
  OTPRequest,
  RequestOTPOptions,
  WaitForOTPOptions,
} from './types.js';
import { DEFAULT_WAIT_TIMEOUT_MS, pendingApprovalInfo, waitForSettled } from './wait-for-otp.js';

/**
 * Where the client looks when neither `baseUrl` nor `AGENT_OTP_URL` is set.
 *
 * @example
 * new AgentOTPClient({ apiKey }).baseUrl === DEFAULT_BASE_URL; // without AGENT_OTP_URL
 */
export const DEFAULT_BASE_URL = 'http://localhost:8787';
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_WAIT_SECONDS = 60;

// The relay's answers are checked against the contract's own schemas, so a body the relay
// would never send (or a proxy's HTML page) is refused before the SDK reads a field of it.
const isOtpRequest = (body: unknown): body is OtpRequest => OtpRequest.safeParse(body).success;
const isConsumeResponse = (body: unknown): body is ConsumeOtpResponse =>
  ConsumeOtpResponse.safeParse(body).success;

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function otpPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') throw new ValidationError('the OTP request id is required');
  return `/api/v1/otp/${encodeURIComponent(id)}${suffix}`;
}

function assertTimeout(timeout: unknown): void {
  if (timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0))
    throw new ValidationError('timeout must be a number of milliseconds ≥ 0');
}

function assertDecryptionKey(privateKey: CryptoKey): void {
  // Checked before consuming: the relay erases the code as it hands it out, so a wrong kind
  // of key discovered afterwards would lose it.
  if (
    privateKey?.type !== 'private' ||
    privateKey.algorithm?.name !== 'RSA-OAEP' ||
    !privateKey.usages.includes('decrypt')
  )
    throw new DecryptionError('consumeOTP needs the RSA-OAEP private key of the pair (usage "decrypt")');
}

/**
 * The Agent OTP client: request a verification code, wait for it, read it once.
 *
 * Retries: status reads, long-polls and cancel are retried on network errors, timeouts, 429
 * and 5xx (exponential backoff with jitter, `Retry-After` honoured). `requestOTP` (create)
 * and `consumeOTP` are retried only when the relay certainly did not act (429, 503, or a
 * connection that failed before sending): a consume whose answer was lost must not be
 * repeated, because the relay erased the code when it sent it.
 *
 * @example
 * const client = new AgentOTPClient({ apiKey: process.env.AGENT_OTP_API_KEY });
 * const { publicKey, privateKey } = await generateKeyPair();
 * const request = await client.requestOTP({
 *   reason: 'Sign up for Acme website',
 *   filter: { sources: ['email'], senderPattern: '*@acme.com' },
 *   publicKey: await exportPublicKey(publicKey),
 *   waitForOTP: true,
 * });
 * if (request.status === 'otp_received') {
 *   const { code } = await client.consumeOTP(request.id, privateKey);
 * }
 */
export class AgentOTPClient {
  /** The relay this client talks to, without a trailing slash. */
  readonly baseUrl: string;
  readonly #transport: Transport;

  constructor(options: AgentOTPClientOptions = {}) {
    const apiKey = options.apiKey?.trim() || readEnvironment('AGENT_OTP_API_KEY')?.trim();
    if (!apiKey)
      throw new AuthenticationError(
        'no API key: pass { apiKey } to new AgentOTPClient() or set AGENT_OTP_API_KEY (ak_live_… or ak_test_…)',
        { code: 'MISSING_API_KEY' },
      );
    if (!apiKey.startsWith('ak_'))
      throw new AuthenticationError('apiKey must be an agent API key (ak_live_… or ak_test_…)');
    const baseUrl = (options.baseUrl ?? readEnvironment('AGENT_OTP_URL') ?? DEFAULT_BASE_URL).replace(
      /\/+$/,
      '',
    );
    if (!isHttpUrl(baseUrl)) throw new ValidationError(`baseUrl must be an http(s) URL, got "${baseUrl}"`);
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0)
      throw new ValidationError('maxRetries must be a whole number ≥ 0');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new ValidationError('timeoutMs must be > 0');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function')
      throw new ValidationError('no fetch implementation: pass { fetch } to new AgentOTPClient()');
    this.baseUrl = baseUrl;
    this.#transport = new Transport({ baseUrl, apiKey, fetch: fetchImpl, maxRetries, timeoutMs });
  }

  /**
   * Asks the owner for one verification code. Returns the created request at once, or with
   * `waitForOTP: true` waits (long-poll, up to `timeout` ms, default 120 000) and returns it
   * with status `otp_received`, `denied`, `expired` or `cancelled`, or, on timeout, the
   * last status seen. Denied and expired are results, not errors.
   *
   * @example
   * const request = await client.requestOTP({
   *   reason: 'Sign up for Acme website',
   *   expectedSender: 'Acme',
   *   filter: { sources: ['email'], senderPattern: '*@acme.com' },
   *   publicKey: await exportPublicKey(publicKey),
   *   waitForOTP: true,
   *   timeout: 120_000,
   *   onPendingApproval: ({ approvalUrl, keyFingerprint }) => console.log(`Approve at ${approvalUrl} (key ${keyFingerprint})`),
   * });
   */
  async requestOTP(options: RequestOTPOptions): Promise<OTPRequest> {
    const { waitForOTP, timeout, onPendingApproval, signal, publicKey, ...body } = options;
    assertTimeout(timeout);
    signal?.throwIfAborted();
    // A create that is part of a wait may sit out a rate limit inside the wait's timeout.
    const deadline = waitForOTP ? Date.now() + (timeout ?? DEFAULT_WAIT_TIMEOUT_MS) : undefined;
    const keyText =
      typeof publicKey === 'object' && publicKey !== null && 'algorithm' in publicKey && 'usages' in publicKey
        ? await exportPublicKey(publicKey as CryptoKey)
        : publicKey;
    const created = await this.#transport.send('POST', '/api/v1/otp', {
      policy: 'at-most-once',
      body: { ...body, publicKey: keyText },
      signal,
      deadline,
      accept: isOtpRequest,
    });
    if (waitForOTP)
      return waitForSettled(this.#statusFetcher(created.id), { timeout, signal, onPendingApproval }, created);
    if (onPendingApproval && created.status === 'pending_approval')
      await onPendingApproval(pendingApprovalInfo(created));
    return created;
  }

  /**
   * Reads a request's status. With `wait` (seconds, ≤ 60) the relay holds the call until the
   * status changes, the code arrives, or `wait` passes (long-poll).
   *
   * @example
   * const { status } = await client.getOTPStatus(request.id);
   * const changed = await client.getOTPStatus(request.id, { wait: 30 });
   */
  getOTPStatus(id: string, options: GetOTPStatusOptions = {}): Promise<OTPRequest> {
    return this.#readStatus(id, options.wait ?? 0, options.signal, undefined);
  }

  /**
   * Waits (long-poll in chunks of ≤ 30 s) until the request has a code or has ended, and
   * returns it; on timeout (default 120 000 ms) returns the last status seen.
   * `onPendingApproval` is called once if the request is waiting for the owner.
   *
   * @example
   * const request = await client.waitForOTP(id, { timeout: 60_000, signal: AbortSignal.timeout(90_000) });
   * if (request.status === 'otp_received') await client.consumeOTP(id, privateKey);
   */
  async waitForOTP(id: string, options: WaitForOTPOptions = {}): Promise<OTPRequest> {
    otpPath(id);
    assertTimeout(options.timeout);
    return waitForSettled(this.#statusFetcher(id), options);
  }

  /**
   * Takes the code (once: the relay erases it as it hands it out) and decrypts it locally
   * with the agent's private key. A payload made for another request is refused with
   * {@link DecryptionError}. Never retried once the call may have reached the relay.
   *
   * @example
   * const { code, metadata } = await client.consumeOTP(request.id, privateKey);
   * console.log(code, metadata.sender, metadata.receivedAt);
   */
  async consumeOTP(id: string, privateKey: CryptoKey): Promise<OTPConsumeResult> {
    const path = otpPath(id, '/consume');
    assertDecryptionKey(privateKey);
    const { encryptedPayload } = await this.#transport.send('POST', path, {
      policy: 'at-most-once',
      accept: isConsumeResponse,
    });
    const { code, ...metadata } = await openOTPPayload(encryptedPayload, privateKey, { requestId: id });
    return { code, metadata };
  }

  /**
   * Cancels an open request; any code it held is erased. Cancelling a request that is
   * already cancelled succeeds; a consumed, denied or expired one throws.
   *
   * @example
   * await client.cancelOTPRequest(request.id);
   */
  async cancelOTPRequest(id: string): Promise<void> {
    try {
      await this.#transport.send('DELETE', otpPath(id), { policy: 'idempotent', accept: isOtpRequest });
    } catch (error) {
      // A retried cancel may find its own first attempt already succeeded.
      if (error instanceof OTPCancelledError) return;
      throw error;
    }
  }

  /**
   * Asks for a one-time permission. Policies may decide at once (auto-approved: `token` is in
   * the result; denied: status `denied`); otherwise the owner decides, and with
   * `waitForApproval: true` the call waits (long-poll) until they do or the request expires.
   * The token appears in exactly one result: keep it.
   *
   * @example
   * const permission = await client.requestPermission({
   *   action: 'gmail.send',
   *   resource: 'email:client@example.com',
   *   scope: { max_emails: 1, subject_pattern: '^Invoice.*' },
   *   context: { reason: 'Sending monthly invoice to client' },
   *   waitForApproval: true,
   *   onPendingApproval: (info) => console.log(`Waiting for approval: ${info.approvalUrl}`),
   * });
   * if (permission.status === 'approved')
   *   await client.useToken(permission.id, permission.token, { emails: 1, subject: 'Invoice #123' });
   */
  requestPermission(options: RequestPermissionOptions): Promise<PermissionResult> {
    return requestPermission(this.#transport, options);
  }

  /**
   * Reads a permission request; `wait` (seconds, ≤ 60) long-polls for the decision.
   *
   * @example
   * const { status, token } = await client.getPermission(id, { wait: 30 });
   */
  getPermission(
    id: string,
    options: { wait?: number; signal?: AbortSignal } = {},
  ): Promise<PermissionResult> {
    return getPermission(this.#transport, id, options.wait ?? 0, options.signal);
  }

  /**
   * Withdraws a permission request (`DELETE /api/v1/permissions/:id`): a pending one is never
   * decided, an approved one loses its token and every use left. Cancelling an already
   * cancelled request succeeds; a denied, expired or spent one throws.
   *
   * @example
   * await client.cancelPermission(permission.id);
   */
  cancelPermission(id: string): Promise<void> {
    return cancelPermission(this.#transport, id);
  }

  /**
   * Checks a permission token without spending it.
   *
   * @example
   * const { valid, usesRemaining, scope } = await client.verifyToken(permission.id, permission.token);
   */
  verifyToken(id: string, token: string | undefined) {
    return verifyToken(this.#transport, id, token);
  }

  /**
   * Spends one use of a permission token; `actionDetails` are checked against the granted
   * scope and kept in the owner's audit log. Report every field the scope constrains
   * (`max_emails` → `emails`, `subject_pattern` → `subject`, …): a missing one is a
   * scope violation.
   *
   * @example
   * await client.useToken(permission.id, permission.token, { emails: 1, recipient: 'client@example.com', subject: 'Invoice #123' });
   */
  useToken(id: string, token: string | undefined, actionDetails?: Record<string, unknown>) {
    return useToken(this.#transport, id, token, actionDetails);
  }

  async #readStatus(
    id: string,
    wait: number,
    signal: AbortSignal | undefined,
    deadline: number | undefined,
  ): Promise<OTPRequest> {
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)
      throw new ValidationError(`wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`);
    return this.#transport.send('GET', otpPath(id, wait > 0 ? `?wait=${wait}` : ''), {
      policy: 'idempotent',
      signal,
      waitSeconds: wait,
      deadline,
      accept: isOtpRequest,
    });
  }

  #statusFetcher(id: string) {
    return (wait: number, signal: AbortSignal | undefined, deadline: number) =>
      this.#readStatus(id, wait, signal, deadline);
  }
}
