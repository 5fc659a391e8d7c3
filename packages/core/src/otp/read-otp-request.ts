import type { OtpRequestRecord, RequestScope } from '@agent-otp/db';
import { SETTLED_STATUSES } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { waitForChange } from '../events/wait-for-change.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';

/**
 * Long-poll: returns the request at once if it is settled (a code to consume, or an end),
 * otherwise when its status changes, it expires, `waitSeconds` pass, or `signal` aborts.
 * Subscribes before reading, so a change between the read and the wait is never missed.
 *
 * @example
 * const row = await waitForOtpChange(ctx, id, { agentId }, 30);
 */
export function waitForOtpChange(
  ctx: CoreContext,
  id: string,
  scope: RequestScope,
  waitSeconds: number,
  signal?: AbortSignal,
  onParked?: () => void,
): Promise<OtpRequestRecord> {
  return waitForChange(
    ctx,
    id,
    waitSeconds,
    {
      read: () => readRequest(ctx, OTP_REQUESTS, id, scope),
      shareKey: JSON.stringify(scope),
      settled: SETTLED_STATUSES,
      // A code held while pending changes the row without changing its status.
      identity: (row) => `${row.status} ${row.encrypted_payload ?? ''}`,
      onParked,
    },
    signal,
  );
}
