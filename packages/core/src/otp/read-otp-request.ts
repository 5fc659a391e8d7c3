import type { OtpRequestRow } from '@agent-otp/db';
import { SETTLED_STATUSES } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { requestTopic } from '../events/event-bus.js';
import { withExpiryApplied } from './expire-requests.js';
import { findScopedRequest, notFound, type RequestScope } from './transition.js';

/**
 * Reads a request within a scope (an agent sees only its own), applying expiry if due.
 * Someone else's request is NOT_FOUND, indistinguishable from one that does not exist.
 *
 * @example
 * const row = await readOtpRequest(ctx, id, { agentId: agent.agentId });
 */
export async function readOtpRequest(
  ctx: CoreContext,
  id: string,
  scope: RequestScope,
): Promise<OtpRequestRow> {
  const row = await findScopedRequest(ctx.database.db, id, scope);
  if (!row) throw notFound(id);
  return withExpiryApplied(ctx, row);
}

/**
 * Long-poll: returns the request at once if it is settled (a code to consume, or an end),
 * otherwise when its status changes, it expires, `waitSeconds` pass, or `signal` aborts.
 * Subscribes before reading, so a change between the read and the wait is never missed.
 *
 * @example
 * const row = await waitForOtpChange(ctx, id, { agentId }, 30);
 */
export async function waitForOtpChange(
  ctx: CoreContext,
  id: string,
  scope: RequestScope,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<OtpRequestRow> {
  let wake: () => void = () => {};
  let woken!: Promise<void>;
  const arm = () => {
    woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  arm();
  let heardChange = false;
  const unsubscribe = ctx.bus.subscribe(requestTopic(id), (event) => {
    // A resync only says events may have been missed (the bus reconnected): re-read, and
    // keep waiting if nothing changed.
    if (event.type !== 'resync') heardChange = true;
    wake();
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const onAbort = () => wake();
  try {
    const initial = await readOtpRequest(ctx, id, scope);
    if (waitSeconds <= 0 || SETTLED_STATUSES.has(initial.status) || signal?.aborted) return initial;
    const untilExpiry = Date.parse(initial.expires_at) - ctx.clock.now().getTime();
    const waitMs = Math.max(0, Math.min(waitSeconds * 1000, untilExpiry + 50));
    timer = setTimeout(() => {
      timedOut = true;
      wake();
    }, waitMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    for (;;) {
      await woken;
      // Re-armed before reading: a wake-up during the read means one more read, not a miss.
      arm();
      const changed = heardChange;
      const row = await readOtpRequest(ctx, id, scope);
      const same = row.status === initial.status && row.encrypted_payload === initial.encrypted_payload;
      if (changed || timedOut || signal?.aborted || !same) return row;
    }
  } finally {
    unsubscribe();
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
