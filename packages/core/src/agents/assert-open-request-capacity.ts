import { countLiveAgentRequests, type Tx } from '@agent-otp/db';
import { AppError, type RequestKind } from '@agent-otp/shared';
import { type CoreContext, DEFAULT_OPEN_REQUESTS_PER_AGENT, nowIso } from '../context.js';
import type { lockLiveAgent } from './lock-live-agent.js';

/** Statuses that hold a place: waiting for the owner, or (OTP) waiting for a code. */
const PLACE_HOLDING = ['pending_approval', 'approved'] as const;

/**
 * Refuses a new request when the agent already holds OPEN_REQUESTS_PER_AGENT open requests
 * of that kind (429 naming the limit, Retry-After when the oldest of them expires). Call it
 * inside the transaction that inserts the request, after {@link lockLiveAgent}: that lock
 * queues one agent's concurrent creates, so they cannot overshoot the cap.
 *
 * @example
 * await lockLiveAgent(ctx, tx, agent.agentId);
 * await assertOpenRequestCapacity(ctx, tx, { kind: 'otp', agentId: agent.agentId });
 */
export async function assertOpenRequestCapacity(
  ctx: CoreContext,
  tx: Tx,
  options: { kind: RequestKind; agentId: string },
): Promise<void> {
  const limit = ctx.openRequestsPerAgent ?? DEFAULT_OPEN_REQUESTS_PER_AGENT;
  const now = nowIso(ctx);
  const open = await countLiveAgentRequests(
    tx,
    options.kind === 'otp' ? 'otp_requests' : 'permission_requests',
    {
      agentId: options.agentId,
      statuses: PLACE_HOLDING,
      now,
    },
  );
  if (open.count < limit) return;
  const retryAfter = Math.max(1, Math.ceil((Date.parse(open.firstExpiry ?? now) - Date.parse(now)) / 1000));
  const what = options.kind === 'otp' ? 'OTP requests' : 'permission requests';
  throw new AppError(
    'RATE_LIMITED',
    `this agent already has ${limit} open ${what} (the limit, OPEN_REQUESTS_PER_AGENT); consume, cancel or wait for one to close, retry after ${retryAfter} s`,
    { retryAfter, limit },
  );
}
