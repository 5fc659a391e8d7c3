import { CreateOtpRequestBody, CreatePermissionRequestBody, OtpFilter } from '@orrisai/agent-otp-contract';
import { z } from 'zod';

/** Longest a tool call waits for the owner (and the code) before returning the status it has. */
export const MAX_WAIT_SECONDS = 600;
// Under the 60 s many MCP clients allow a request by default (the official SDK's client
// among them): the tool returns the status before the host gives up on the call, and the
// model keeps waiting with get_request_status.
export const DEFAULT_OTP_WAIT_SECONDS = 50;
export const DEFAULT_PERMISSION_WAIT_SECONDS = 50;

const waitSeconds = (defaultSeconds: number, what: string) =>
  z
    .number()
    .int('timeoutSeconds must be a whole number of seconds')
    .min(1, 'timeoutSeconds must be at least 1')
    .max(MAX_WAIT_SECONDS, `timeoutSeconds must be at most ${MAX_WAIT_SECONDS}`)
    .optional()
    .describe(
      `How long to wait for ${what}, in seconds (default ${defaultSeconds}, at most ${MAX_WAIT_SECONDS}). On timeout the tool returns the request's current status and id; call get_request_status later.`,
    );

// The relay's own field schemas (the contract), so the tool refuses exactly what the relay
// would refuse, with the relay's messages, before anything is sent.
const otpBody = CreateOtpRequestBody.shape;
const otpFilter = OtpFilter.shape;
const permissionBody = CreatePermissionRequestBody.shape;

export const RequestOtpInput = z.strictObject({
  reason: otpBody.reason.describe(
    'Why you need the code, in one sentence the owner will read before approving, e.g. "Sign up for Acme website".',
  ),
  expectedSender: otpBody.expectedSender.describe(
    'Who will send the code, as the owner would recognise it (e.g. "Acme"). Shown to the owner.',
  ),
  sources: otpFilter.sources.describe('Where the code may come from: "sms", "email" or both (default both).'),
  senderPattern: otpFilter.senderPattern,
  contentPattern: otpFilter.contentPattern,
  ttl: otpBody.ttl,
  timeoutSeconds: waitSeconds(DEFAULT_OTP_WAIT_SECONDS, 'the approval and the code'),
});
export type RequestOtpInput = z.infer<typeof RequestOtpInput>;

export const RequestPermissionInput = z.strictObject({
  action: permissionBody.action.describe(
    'What you want to do, as a dotted verb the owner and their policies recognise, e.g. "gmail.send".',
  ),
  resource: permissionBody.resource.describe(
    'What the action applies to, e.g. "email:client@example.com". Shown to the owner.',
  ),
  scope: permissionBody.scope,
  context: permissionBody.context,
  ttl: permissionBody.ttl,
  timeoutSeconds: waitSeconds(DEFAULT_PERMISSION_WAIT_SECONDS, "the owner's decision"),
});
export type RequestPermissionInput = z.infer<typeof RequestPermissionInput>;

export const RequestIdInput = z.strictObject({
  requestId: z
    .string()
    .trim()
    .regex(
      /^(otp|prm)_[A-Za-z0-9]+$/,
      'requestId must be an OTP request id (otp_…) or a permission id (prm_…)',
    )
    .describe('The id a previous request_otp or request_permission call returned (otp_… or prm_…).'),
});
export type RequestIdInput = z.infer<typeof RequestIdInput>;

export const GetRequestStatusInput = RequestIdInput.extend({
  timeoutSeconds: waitSeconds(0, 'a change (the code, or a decision)').describe(
    `Wait up to this many seconds for the code or the decision (default 0: read the status and return at once; at most ${MAX_WAIT_SECONDS}).`,
  ),
});
export type GetRequestStatusInput = z.infer<typeof GetRequestStatusInput>;

// Both kinds can be withdrawn: an OTP request (its code erased) or a permission (its token revoked).
export const CancelRequestInput = RequestIdInput;
export type CancelRequestInput = z.infer<typeof CancelRequestInput>;
