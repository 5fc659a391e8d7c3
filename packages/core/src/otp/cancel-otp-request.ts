import type { OtpRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import type { CoreContext } from '../context.js';
import { cancelRequest } from '../requests/cancel-request.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { toApiOtpRequest } from './otp-row.js';

/**
 * Cancels an agent's own open request and erases any ciphertext it holds.
 *
 * @example
 * await cancelOtpRequest(ctx, agent, id);
 */
export async function cancelOtpRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<OtpRequest> {
  return toApiOtpRequest(ctx, await cancelRequest(ctx, OTP_REQUESTS, agent, id));
}
