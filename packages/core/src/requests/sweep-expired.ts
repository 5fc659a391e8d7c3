import type { CoreContext } from '../context.js';
import { expireOverdueHeldMessages } from '../held/expire-held-messages.js';
import { expireOverdueRequestsOf } from './expire-request.js';
import { OTP_REQUESTS } from './otp-requests.js';
import { PERMISSION_REQUESTS } from './permission-requests.js';
import type { AnyRequestKindConfig } from './request-kind.js';

/** Every kind of request the relay knows; the sweeper walks them all. */
export const REQUEST_KINDS: readonly AnyRequestKindConfig[] = [OTP_REQUESTS, PERMISSION_REQUESTS];

/**
 * The one expiry sweep: every overdue request of every kind, then every overdue held
 * message (whose lifetime follows its candidate requests). Returns how many it expired.
 * Safe to run on every instance at once: each row moves in one conditional update.
 *
 * @example
 * setInterval(() => void sweepExpired(ctx), 1000);
 */
export async function sweepExpired(ctx: CoreContext): Promise<number> {
  let total = 0;
  for (const kind of REQUEST_KINDS) total += await expireOverdueRequestsOf(ctx, kind);
  return total + (await expireOverdueHeldMessages(ctx));
}
