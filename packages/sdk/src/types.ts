import type {
  CaptureSourceKind,
  ConsumeOtpResponse,
  CreateOtpRequestBody,
  OtpFilter,
  OtpPayload,
  OtpRequest,
} from '@orrisai/agent-otp-contract';

/**
 * An OTP request as the relay reports it (`id`, `status`, `approvalUrl`, `expiresAt`,
 * `keyFingerprint`, `decision` …). Never carries the code.
 *
 * @example
 * const request: OTPRequest = await client.getOTPStatus(id);
 * if (request.status === 'pending_approval') console.log(request.approvalUrl);
 */
export type OTPRequest = OtpRequest;
/**
 * The seed's name for what `requestOTP` returns.
 *
 * @example
 * const result: OTPRequestResult = await client.requestOTP({ reason, publicKey });
 */
export type OTPRequestResult = OTPRequest;
/**
 * Where a code may come from: `'sms'` or `'email'`.
 *
 * @example
 * const sources: OTPSource[] = ['email'];
 */
export type OTPSource = CaptureSourceKind;
/**
 * The consume endpoint's response (the SDK decrypts it for you).
 *
 * @example
 * const { encryptedPayload }: ConsumeOTPResponse = await (await fetch(consumeUrl, init)).json();
 */
export type ConsumeOTPResponse = ConsumeOtpResponse;

/**
 * Which messages may serve a request. `sources` also takes plain strings, so a filter read
 * from JSON or configuration type-checks; the relay refuses anything but `sms` and `email`
 * with a {@link ValidationError}.
 *
 * @example
 * const filter: OTPFilter = { sources: ['email'], senderPattern: '*@acme.com', contentPattern: 'verification code' };
 */
export type OTPFilter = Omit<OtpFilter, 'sources'> & {
  sources?: ReadonlyArray<OTPSource | (string & {})> | undefined;
};

/**
 * What `onPendingApproval` is told: enough to show the owner where and what to approve.
 *
 * @example
 * const onPendingApproval = (info: PendingApprovalInfo) => console.log(`approve ${info.reason} at ${info.approvalUrl}`);
 */
export type PendingApprovalInfo = Pick<
  OtpRequest,
  'id' | 'approvalUrl' | 'expiresAt' | 'keyFingerprint' | 'reason'
>;

/**
 * Options for waiting on a request.
 *
 * @example
 * const options: WaitForOTPOptions = { timeout: 60_000, signal: AbortSignal.timeout(90_000) };
 */
export interface WaitForOTPOptions {
  /** Milliseconds to wait in total (default 120 000). On timeout the last status is returned. */
  timeout?: number | undefined;
  /** Aborts the wait (and the HTTP request in flight); the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called once, when the request is seen waiting for the owner's approval. Awaited. */
  onPendingApproval?: ((info: PendingApprovalInfo) => void | Promise<void>) | undefined;
}

/**
 * Options of `requestOTP`: the API body (`reason`, `expectedSender`, `filter`, `ttl`,
 * `webhookUrl`, as the contract declares them) plus options the SDK handles itself.
 * `webhookUrl` (https) receives a signed event on every status change the agent acts on;
 * check each delivery with `verifyWebhookSignature`.
 *
 * @example
 * const options: RequestOTPOptions = { reason: 'Sign up at Acme', publicKey, waitForOTP: true, timeout: 120_000 };
 */
export type RequestOTPOptions = Omit<CreateOtpRequestBody, 'filter' | 'publicKey'> & {
  filter?: OTPFilter | undefined;
  /**
   * The agent's RSA public key (≥ 2048 bits): SPKI base64 as `exportPublicKey` returns it,
   * PEM, a JWK, or the `CryptoKey` itself.
   */
  publicKey: CreateOtpRequestBody['publicKey'] | CryptoKey;
  /** Wait (long-poll) until the code arrives or the request ends. Default false. */
  waitForOTP?: boolean | undefined;
} & WaitForOTPOptions;

/**
 * Options of `getOTPStatus`.
 *
 * @example
 * await client.getOTPStatus(id, { wait: 30 } satisfies GetOTPStatusOptions);
 */
export interface GetOTPStatusOptions {
  /** Long-poll: hold the request up to this many seconds (0–60) for a change. */
  wait?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Where the code came from, as sealed inside the encrypted payload.
 *
 * @example
 * const { metadata }: { metadata: OTPPayloadMetadata } = await client.consumeOTP(id, privateKey);
 */
export type OTPPayloadMetadata = Omit<OtpPayload, 'code'>;

/**
 * What `consumeOTP` returns.
 *
 * @example
 * const { code, metadata }: OTPConsumeResult = await client.consumeOTP(id, privateKey);
 */
export interface OTPConsumeResult {
  code: OtpPayload['code'];
  metadata: OTPPayloadMetadata;
}

/**
 * Options of `new AgentOTPClient()`.
 *
 * @example
 * const options: AgentOTPClientOptions = { apiKey: process.env.AGENT_OTP_API_KEY, maxRetries: 5 };
 */
export interface AgentOTPClientOptions {
  /** `ak_live_…` or `ak_test_…`. Default: `AGENT_OTP_API_KEY` from the environment. */
  apiKey?: string | undefined;
  /** The relay's URL. Default: `AGENT_OTP_URL` from the environment, else `http://localhost:8787`. */
  baseUrl?: string | undefined;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Retries of a failed call where retrying is safe (default 3). */
  maxRetries?: number | undefined;
  /** Longest one HTTP attempt may take, on top of any long-poll wait (default 30 000 ms). */
  timeoutMs?: number | undefined;
}
