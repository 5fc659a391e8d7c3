import { OTP_STATUSES, type OtpStatus, SETTLED_STATUSES } from '@orrisai/agent-otp-contract';

/** A request's status: `pending_approval`, `approved`, `otp_received`, `consumed`, `denied`, `expired` or `cancelled`. */
export type OTPRequestStatus = OtpStatus;

type StatusConstants = { readonly [S in OtpStatus as Uppercase<S>]: S };

/**
 * Every status by name, built from the relay's own list so the two cannot drift.
 *
 * @example
 * if (request.status === OTPRequestStatus.OTP_RECEIVED) await client.consumeOTP(request.id, privateKey);
 */
export const OTPRequestStatus: StatusConstants = Object.freeze(
  Object.fromEntries(OTP_STATUSES.map((status) => [status.toUpperCase(), status])),
) as StatusConstants;

/**
 * Whether a status needs no more waiting: a code to consume, or an end.
 *
 * @example
 * isSettledStatus('otp_received'); // true
 * isSettledStatus('approved'); // false
 */
export function isSettledStatus(status: OtpStatus): boolean {
  return SETTLED_STATUSES.has(status);
}
