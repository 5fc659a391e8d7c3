import type { ErrorCode } from '@agent-otp/shared';

/**
 * Error codes of a delivery that mean "this request no longer wants this code": it is
 * closed (consumed, expired, denied, cancelled), already holds another code, does not exist
 * for this source, does not accept this kind of source, or refused the payload itself (not
 * addressed to it). Trying again cannot help; the connector offers the message to its next
 * candidate request instead.
 */
export const GONE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_FOUND',
  'FORBIDDEN',
  'VALIDATION_ERROR',
  'OTP_ALREADY_CONSUMED',
  'OTP_EXPIRED',
  'OTP_DENIED',
  'OTP_CANCELLED',
  'INVALID_TRANSITION',
  'CONFLICT',
]);

/**
 * What a connector should do with the relay's answer to one delivery: `delivered`,
 * `gone` (drop this request, try the next candidate) or `retry` (rate limited, relay or
 * database unavailable, or an answer it cannot place: keep the code and try again later).
 * Unknown answers are `retry`, so a code is never dropped on a guess.
 *
 * @example
 * deliveryVerdict(409, { error: { code: 'OTP_CANCELLED' } }); // 'gone'
 * deliveryVerdict(503, { error: { code: 'SERVICE_UNAVAILABLE' } }); // 'retry'
 */
export function deliveryVerdict(status: number, body: unknown): 'delivered' | 'gone' | 'retry' {
  if (status >= 200 && status < 300) return 'delivered';
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (status < 500 && status !== 429 && typeof code === 'string' && GONE_CODES.has(code as ErrorCode))
    return 'gone';
  return 'retry';
}
