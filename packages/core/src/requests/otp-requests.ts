import { otpConflict, otpNotFound } from '../otp/otp-errors.js';
import { otpEventOf } from '../otp/otp-row.js';
import type { RequestKindConfig } from './request-kind.js';

/**
 * OTP requests as a kind of request: open while pending, approved or holding a code;
 * whatever ends them erases the ciphertext.
 *
 * @example
 * await readRequest(ctx, OTP_REQUESTS, id, { agentId });
 */
export const OTP_REQUESTS: RequestKindConfig<'otp_requests'> = {
  kind: 'otp',
  table: 'otp_requests',
  open: ['pending_approval', 'approved', 'otp_received'],
  closeChanges: { encrypted_payload: null },
  expiryDetails: (before) => ({
    previousStatus: before.status,
    codeErased: before.encrypted_payload !== null,
  }),
  event: otpEventOf,
  conflict: otpConflict,
  notFound: otpNotFound,
};
