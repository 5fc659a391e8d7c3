import {
  type CreatePermissionRequestBody,
  PermissionRequest,
  UseTokenResponse,
  VerifyTokenResponse,
} from '@orrisai/agent-otp-contract';
import { OTPCancelledError, ValidationError } from './errors.js';
import { backoffDelay, isTransientFailure, sleep } from './retry.js';
import { linkSignals } from './signals.js';
import type { Transport } from './transport.js';

/** Longest single long-poll the SDK asks for while waiting for a decision (the relay allows 60 s). */
const LONG_POLL_CHUNK_SECONDS = 30;

/**
 * What `onPendingApproval` receives when a permission request waits for its owner: the
 * relay's own fields, so the two cannot drift.
 *
 * @example
 * const onPendingApproval = (info: PermissionPendingInfo) => console.log(`approve ${info.action} at ${info.approvalUrl}`);
 */
export type PermissionPendingInfo = Pick<
  PermissionRequest,
  'id' | 'approvalUrl' | 'expiresAt' | 'action' | 'resource'
>;

/**
 * Options of {@link AgentOTPClient.requestPermission}: the body of
 * `POST /api/v1/permissions/request` (`action`, `resource`, `scope`, `context`, `ttl`,
 * `webhookUrl`, as the contract declares them) plus what the SDK handles itself.
 * `webhookUrl` (https) receives a signed event when the request is approved, denied or
 * expires; check each delivery with `verifyWebhookSignature`.
 *
 * @example
 * const options: RequestPermissionOptions = { action: 'gmail.send', resource: 'email:client@example.com', scope: { max_emails: 1 }, waitForApproval: true };
 */
export type RequestPermissionOptions = CreatePermissionRequestBody & {
  /** Wait (long-poll) until the request is decided or expires. */
  waitForApproval?: boolean;
  /** Called once if the request waits for a human. */
  onPendingApproval?: (info: PermissionPendingInfo) => void | Promise<void>;
  /** Longest wait in ms; default: until the request expires. On timeout the last status is returned. */
  timeout?: number;
  signal?: AbortSignal;
};

/**
 * A permission request as the agent sees it (the relay's `PermissionRequest`, without what
 * the agent itself sent). `token` is present only in the one result that received it from
 * the relay (it is never shown again): keep it. `scope` is the granted scope once approved
 * (a policy may have replaced the requested one).
 *
 * @example
 * const permission: PermissionResult = await client.requestPermission({ action: 'gmail.send', resource, waitForApproval: true });
 * if (permission.status === 'approved') await client.useToken(permission.id, permission.token, { recipient });
 */
export type PermissionResult = Pick<
  PermissionRequest,
  | 'id'
  | 'status'
  | 'token'
  | 'scope'
  | 'expiresAt'
  | 'approvalUrl'
  | 'usesRemaining'
  | 'tokenIssued'
  | 'policy'
  | 'decision'
  | 'denialReason'
>;

// The relay's answers are checked against the contract's own schemas, so a body the relay
// would never send (or a proxy's HTML page) is refused before the SDK reads a field of it.
const isPermissionRequest = (body: unknown): body is PermissionRequest =>
  PermissionRequest.safeParse(body).success;
const isVerifyResponse = (body: unknown): body is VerifyTokenResponse =>
  VerifyTokenResponse.safeParse(body).success;
const isUseResponse = (body: unknown): body is UseTokenResponse => UseTokenResponse.safeParse(body).success;

function permissionPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') throw new ValidationError('the permission request id is required');
  return `/api/v1/permissions/${encodeURIComponent(id)}${suffix}`;
}

function assertToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token === '')
    throw new ValidationError('the permission token is required (the otp_… value from requestPermission)');
}

function toResult(request: PermissionRequest): PermissionResult {
  return {
    id: request.id,
    status: request.status,
    ...(request.token === undefined ? {} : { token: request.token }),
    scope: request.scope,
    expiresAt: request.expiresAt,
    approvalUrl: request.approvalUrl,
    usesRemaining: request.usesRemaining,
    tokenIssued: request.tokenIssued,
    policy: request.policy,
    decision: request.decision,
    ...(request.denialReason === undefined ? {} : { denialReason: request.denialReason }),
  };
}

/**
 * Reads a permission request; with `wait` (seconds, ≤ 60) a long-poll until it is decided.
 * The first read after approval carries the token.
 *
 * @example
 * const current = await getPermission(transport, id, 30);
 */
export async function getPermission(
  transport: Transport,
  id: string,
  wait = 0,
  signal?: AbortSignal,
  deadline?: number,
): Promise<PermissionResult> {
  if (!Number.isInteger(wait) || wait < 0 || wait > 60)
    throw new ValidationError('wait must be a whole number of seconds from 0 to 60');
  const request = await transport.send('GET', permissionPath(id, wait > 0 ? `?wait=${wait}` : ''), {
    policy: 'idempotent',
    signal,
    waitSeconds: wait,
    deadline,
    accept: isPermissionRequest,
  });
  return toResult(request);
}

async function waitForDecision(
  transport: Transport,
  created: PermissionResult,
  options: RequestPermissionOptions,
): Promise<PermissionResult> {
  const timeout = options.timeout ?? Math.max(0, Date.parse(created.expiresAt) - Date.now() + 1000);
  const deadlineAt = Date.now() + timeout;
  const deadline = linkSignals([options.signal], timeout);
  let last = created;
  let outageReads = 0;
  try {
    while (last.status === 'pending_approval') {
      const remaining = Math.ceil((Date.parse(last.expiresAt) - Date.now()) / 1000);
      const wait = Math.max(1, Math.min(LONG_POLL_CHUNK_SECONDS, remaining + 1));
      try {
        last = await getPermission(transport, last.id, wait, deadline.signal, deadlineAt);
        outageReads = 0;
      } catch (error) {
        options.signal?.throwIfAborted();
        if (deadline.signal.aborted) return last;
        if (!isTransientFailure(error)) throw error;
        // The relay is restarting or unreachable: keep trying, with backoff, until the deadline.
        try {
          await sleep(
            Math.min(backoffDelay(outageReads++), Math.max(0, deadlineAt - Date.now())),
            deadline.signal,
          );
        } catch (pauseEnded) {
          options.signal?.throwIfAborted();
          if (deadline.signal.aborted) return last;
          throw pauseEnded;
        }
      }
    }
    return last;
  } finally {
    deadline.dispose();
  }
}

/**
 * Asks for a one-time permission. The relay's policies decide at once (auto-approve: the
 * token is in the result; deny: status `denied`) or the owner decides; with
 * `waitForApproval` the call waits for that decision. Denied and expired are results, not errors.
 *
 * @example
 * const permission = await requestPermission(transport, { action: 'gmail.send', resource: 'email:a@b.c', waitForApproval: true });
 */
export async function requestPermission(
  transport: Transport,
  options: RequestPermissionOptions,
): Promise<PermissionResult> {
  const { waitForApproval, onPendingApproval, timeout, signal, ...body } = options;
  if (timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0))
    throw new ValidationError('timeout must be a number of milliseconds ≥ 0');
  signal?.throwIfAborted();
  // A create that is part of a wait with a timeout may sit out a rate limit inside it.
  const deadline = waitForApproval && timeout !== undefined ? Date.now() + timeout : undefined;
  const created = toResult(
    await transport.send('POST', '/api/v1/permissions/request', {
      policy: 'at-most-once',
      body,
      signal,
      deadline,
      accept: isPermissionRequest,
    }),
  );
  if (created.status === 'pending_approval' && onPendingApproval)
    await onPendingApproval({
      id: created.id,
      approvalUrl: created.approvalUrl,
      expiresAt: created.expiresAt,
      action: options.action,
      resource: options.resource,
    });
  return waitForApproval ? waitForDecision(transport, created, options) : created;
}

/**
 * Checks a token without spending it: `{valid, reason?, usesRemaining, scope, expiresAt}`.
 *
 * @example
 * const { valid } = await verifyToken(transport, permission.id, permission.token);
 */
export function verifyToken(
  transport: Transport,
  id: string,
  token: string | undefined,
): Promise<VerifyTokenResponse> {
  assertToken(token);
  return transport.send('POST', permissionPath(id, '/verify'), {
    policy: 'idempotent',
    body: { token },
    accept: isVerifyResponse,
  });
}

/**
 * Spends one use of the token (never retried once it may have reached the relay). Refusals
 * throw with the relay's code: `TOKEN_USED`, `TOKEN_INVALID`, `SCOPE_VIOLATION`, `OTP_EXPIRED` …
 *
 * @example
 * await useToken(transport, permission.id, permission.token, { recipient: 'client@example.com' });
 */
export function useToken(
  transport: Transport,
  id: string,
  token: string | undefined,
  actionDetails?: Record<string, unknown>,
): Promise<UseTokenResponse> {
  assertToken(token);
  return transport.send('POST', permissionPath(id, '/use'), {
    policy: 'at-most-once',
    body: actionDetails === undefined ? { token } : { token, actionDetails },
    accept: isUseResponse,
  });
}

/**
 * Withdraws a permission request: a pending one is never decided, an approved one loses its
 * token and every use left. Cancelling a request that is already cancelled succeeds (a
 * retried cancel may find its own first attempt done); a denied, expired or spent one throws.
 *
 * @example
 * await cancelPermission(transport, permission.id);
 */
export async function cancelPermission(transport: Transport, id: string): Promise<void> {
  try {
    await transport.send('DELETE', permissionPath(id), { policy: 'idempotent', accept: isPermissionRequest });
  } catch (error) {
    if (error instanceof OTPCancelledError) return;
    throw error;
  }
}
