import {
  isSettledStatus,
  type OTPFilter,
  type OTPRequest,
  type PermissionResult,
} from '@orrisai/agent-otp-sdk';
import type { AgentSession } from './agent-session.js';
import {
  type CancelRequestInput,
  DEFAULT_OTP_WAIT_SECONDS,
  DEFAULT_PERMISSION_WAIT_SECONDS,
  type GetRequestStatusInput,
  type RequestOtpInput,
  type RequestPermissionInput,
} from './tool-schemas.js';

/** What a tool hands back: one sentence for the model, and the same facts as data. */
export interface ToolOutput {
  summary: string;
  data: Record<string, unknown>;
}

const OTP_NEXT_STEP: Record<OTPRequest['status'], string> = {
  pending_approval:
    'The owner has not approved it yet. Call get_request_status with this requestId (and timeoutSeconds) to keep waiting, or cancel_request if you no longer need it.',
  approved:
    'The owner approved it; the code has not arrived yet. Make sure the sender was asked to send it, then call get_request_status with this requestId (and timeoutSeconds).',
  otp_received: 'The code has arrived; call get_request_status with this requestId to read it.',
  consumed: 'The code was already read once and erased from the relay; request a new one if you need it.',
  denied: 'The owner denied this request. Do not retry it unless the owner asks you to.',
  expired: 'The request expired before a code arrived. Request a new one if you still need it.',
  cancelled: 'The request was cancelled.',
};

const PERMISSION_NEXT_STEP: Record<PermissionResult['status'], string> = {
  pending_approval:
    'The owner has not decided yet. Call get_request_status with this requestId (and timeoutSeconds) to keep waiting.',
  approved:
    'Approved. Keep the token: it is shown only in this one result. Spend it with the Agent OTP SDK (useToken) when you act.',
  used: 'The permission was already used up.',
  denied:
    'The owner (or one of their policies) denied this permission. Do not retry it unless the owner asks you to.',
  expired: 'The permission request (or its token) expired.',
  cancelled: 'The permission request was cancelled.',
};

/**
 * The owner's words on a denial, quoted for the model: "use the staging account" is
 * something it can act on, where a bare "denied" only tells it to stop.
 */
function ownerReason(denialReason: string | undefined): string {
  return denialReason === undefined ? '' : ` The owner's reason: "${denialReason}".`;
}

function compactFilter(input: RequestOtpInput): OTPFilter | undefined {
  const filter: OTPFilter = {};
  if (input.sources !== undefined) filter.sources = input.sources;
  if (input.senderPattern !== undefined) filter.senderPattern = input.senderPattern;
  if (input.contentPattern !== undefined) filter.contentPattern = input.contentPattern;
  return Object.keys(filter).length === 0 ? undefined : filter;
}

function otpFacts(request: OTPRequest): Record<string, unknown> {
  return {
    requestId: request.id,
    status: request.status,
    approvalUrl: request.approvalUrl,
    expiresAt: request.expiresAt,
    keyFingerprint: request.keyFingerprint,
    isTest: request.isTest,
    ...(request.denialReason === undefined ? {} : { denialReason: request.denialReason }),
  };
}

/**
 * Reads the code of a request that has one, if this process holds its key: consuming
 * erases it on the relay, so the code exists afterwards only in the returned output.
 */
async function settleOtp(session: AgentSession, request: OTPRequest): Promise<ToolOutput> {
  if (request.status === 'otp_received' && session.owns(request.id)) {
    const keys = await session.keys();
    const { code, metadata } = await session.client.consumeOTP(request.id, keys.privateKey);
    return {
      summary: `Verification code: ${code} (from ${metadata.sender} via ${metadata.source}). The relay has erased it; this is the only copy, use it now.`,
      data: {
        ...otpFacts(request),
        status: 'consumed',
        code,
        source: metadata.source,
        sender: metadata.sender,
        receivedAt: metadata.receivedAt,
      },
    };
  }
  const next =
    request.status === 'otp_received'
      ? 'The code has arrived, but it is sealed to a key this process does not hold (the request was made elsewhere or before a restart); it cannot be read here.'
      : OTP_NEXT_STEP[request.status];
  return {
    summary: `Request ${request.id} is ${request.status}.${ownerReason(request.denialReason)} ${next}`,
    data: otpFacts(request),
  };
}

function permissionOutput(result: PermissionResult): ToolOutput {
  return {
    summary: `Permission ${result.id} is ${result.status}.${ownerReason(result.denialReason)} ${PERMISSION_NEXT_STEP[result.status]}`,
    data: {
      requestId: result.id,
      status: result.status,
      ...(result.token === undefined ? {} : { token: result.token }),
      scope: result.scope,
      usesRemaining: result.usesRemaining,
      expiresAt: result.expiresAt,
      approvalUrl: result.approvalUrl,
      decidedBy: result.decision?.by ?? null,
      policy: result.policy?.name ?? null,
      ...(result.denialReason === undefined ? {} : { denialReason: result.denialReason }),
    },
  };
}

/**
 * `request_otp`: asks the owner for one code, waits for approval and the code, and returns
 * the code (decrypted here) or the status reached when the wait ended.
 *
 * @example
 * const { summary, data } = await requestOtp(session, { reason: 'Sign up for Acme website', sources: ['email'] });
 */
export async function requestOtp(
  session: AgentSession,
  input: RequestOtpInput,
  signal?: AbortSignal,
): Promise<ToolOutput> {
  const keys = await session.keys();
  const filter = compactFilter(input);
  const created = await session.client.requestOTP({
    reason: input.reason,
    ...(input.expectedSender === undefined ? {} : { expectedSender: input.expectedSender }),
    ...(filter === undefined ? {} : { filter }),
    ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
    publicKey: keys.publicKey,
    signal,
  });
  // Remembered before waiting: if the host abandons this call, get_request_status can
  // still read the code later, since this process holds the key it is sealed to.
  session.remember(created.id);
  const request = isSettledStatus(created.status)
    ? created
    : await session.client.waitForOTP(created.id, {
        timeout: (input.timeoutSeconds ?? DEFAULT_OTP_WAIT_SECONDS) * 1000,
        signal,
      });
  return settleOtp(session, request);
}

/**
 * `request_permission`: asks for a one-time permission and waits for the decision; the token
 * is in the output when approved.
 *
 * @example
 * const { data } = await requestPermission(session, { action: 'gmail.send', resource: 'email:a@b.c' });
 */
export async function requestPermission(
  session: AgentSession,
  input: RequestPermissionInput,
  signal?: AbortSignal,
): Promise<ToolOutput> {
  const { timeoutSeconds, ...body } = input;
  const result = await session.client.requestPermission({
    ...body,
    waitForApproval: true,
    timeout: (timeoutSeconds ?? DEFAULT_PERMISSION_WAIT_SECONDS) * 1000,
    ...(signal === undefined ? {} : { signal }),
  });
  return permissionOutput(result);
}

/**
 * `get_request_status`: reads (or, with `timeoutSeconds`, waits on) a request; an OTP request
 * whose code has arrived is read and its code returned.
 *
 * @example
 * const { data } = await getRequestStatus(session, { requestId: 'otp_…', timeoutSeconds: 60 });
 */
export async function getRequestStatus(
  session: AgentSession,
  input: GetRequestStatusInput,
  signal?: AbortSignal,
): Promise<ToolOutput> {
  const waitMs = (input.timeoutSeconds ?? 0) * 1000;
  if (input.requestId.startsWith('prm_')) {
    const current = await session.client.getPermission(input.requestId, signal ? { signal } : {});
    if (waitMs === 0 || current.status !== 'pending_approval') return permissionOutput(current);
    return permissionOutput(await waitForPermission(session, current, waitMs, signal));
  }
  const request =
    waitMs === 0
      ? await session.client.getOTPStatus(input.requestId, signal ? { signal } : {})
      : await session.client.waitForOTP(input.requestId, { timeout: waitMs, signal });
  return settleOtp(session, request);
}

async function waitForPermission(
  session: AgentSession,
  current: PermissionResult,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<PermissionResult> {
  const deadline = Date.now() + waitMs;
  let last = current;
  while (last.status === 'pending_approval') {
    const remaining = Math.ceil((deadline - Date.now()) / 1000);
    if (remaining <= 0) return last;
    last = await session.client.getPermission(last.id, {
      wait: Math.min(30, remaining),
      ...(signal ? { signal } : {}),
    });
  }
  return last;
}

/**
 * `cancel_request`: withdraws an OTP request (erasing any code it holds) or a permission
 * request (a pending one is never decided; an approved one loses its token).
 *
 * @example
 * await cancelRequest(session, { requestId: 'otp_…' });
 */
export async function cancelRequest(session: AgentSession, input: CancelRequestInput): Promise<ToolOutput> {
  const permission = input.requestId.startsWith('prm_');
  if (permission) await session.client.cancelPermission(input.requestId);
  else await session.client.cancelOTPRequest(input.requestId);
  return {
    summary: permission
      ? `Permission ${input.requestId} is cancelled; its token, if any, no longer works.`
      : `Request ${input.requestId} is cancelled; any code it held was erased.`,
    data: { requestId: input.requestId, status: 'cancelled' },
  };
}
