import type { OtpRequestRecord } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared/stored-values';
import { denialDetails } from '../requests/decision-of.js';

/** The error for an OTP request that is not there, or not the caller's. */
export function otpNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `no OTP request ${id}`);
}

/** The error for acting on a request whose status no longer allows it. */
export function otpConflict(
  row: Pick<OtpRequestRecord, 'id' | 'status' | 'denial_reason'>,
  action: string,
): AppError {
  switch (row.status) {
    case 'consumed':
      return new AppError('OTP_ALREADY_CONSUMED', `OTP request ${row.id} was already consumed`);
    case 'expired':
      return new AppError('OTP_EXPIRED', `OTP request ${row.id} has expired`);
    case 'denied':
      return new AppError('OTP_DENIED', `OTP request ${row.id} was denied by its owner`, denialDetails(row));
    case 'cancelled':
      return new AppError('OTP_CANCELLED', `OTP request ${row.id} was cancelled`);
    default:
      if (action === 'consume')
        return new AppError('OTP_NOT_READY', `OTP request ${row.id} has no code yet (it is ${row.status})`);
      return new AppError(
        'INVALID_TRANSITION',
        `cannot ${action} OTP request ${row.id} while it is ${row.status}`,
      );
  }
}
