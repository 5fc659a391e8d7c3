/**
 * `@orrisai/agent-otp-sdk`: request one verification code or permission from an Agent OTP
 * relay, wait for the owner's approval, and decrypt the code locally. The client uses
 * WebCrypto and fetch only, so this entry bundles for browsers too. `verifyWebhookSignature`,
 * for the server that receives webhooks, needs `node:crypto` (Node, Bun, Deno) and is its own
 * entry: `@orrisai/agent-otp-sdk/webhooks`.
 *
 * @example
 * import { AgentOTPClient, generateKeyPair, exportPublicKey } from '@orrisai/agent-otp-sdk';
 * const client = new AgentOTPClient({ apiKey: process.env.AGENT_OTP_API_KEY });
 * const { publicKey, privateKey } = await generateKeyPair();
 * const request = await client.requestOTP({ reason: 'Sign up', publicKey: await exportPublicKey(publicKey), waitForOTP: true });
 * if (request.status === 'otp_received') console.log((await client.consumeOTP(request.id, privateKey)).code);
 */

export type { WebhookEvent } from '@orrisai/agent-otp-contract';
export { AgentOTPClient, DEFAULT_BASE_URL } from './client.js';
export {
  type DecryptOTPPayloadOptions,
  decryptOTPPayload,
  exportPrivateKey,
  exportPublicKey,
  type GenerateKeyPairOptions,
  generateKeyPair,
  importPrivateKey,
  keyFingerprint,
  openOTPPayload,
} from './crypto.js';
export {
  AgentOTPError,
  type AgentOTPErrorCode,
  type AgentOTPErrorOptions,
  AuthenticationError,
  DecryptionError,
  NetworkError,
  OTPAlreadyConsumedError,
  OTPApprovalDeniedError,
  OTPCancelledError,
  OTPExpiredError,
  OTPNotFoundError,
  OTPNotReadyError,
  PermissionTokenError,
  RateLimitError,
  ScopeViolationError,
  ServerError,
  ValidationError,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './errors.js';
export type { PermissionPendingInfo, PermissionResult, RequestPermissionOptions } from './permissions.js';
export { isSettledStatus, OTPRequestStatus } from './status.js';
export type {
  AgentOTPClientOptions,
  ConsumeOTPResponse,
  GetOTPStatusOptions,
  OTPConsumeResult,
  OTPFilter,
  OTPPayloadMetadata,
  OTPRequest,
  OTPRequestResult,
  OTPSource,
  PendingApprovalInfo,
  RequestOTPOptions,
  WaitForOTPOptions,
} from './types.js';
