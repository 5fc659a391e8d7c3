import {
  type AuthenticatedSource,
  type CoreContext,
  deliverOtpPayload,
  listOpenRequestsForSource,
  ownerTopic,
} from '@agent-otp/core';
import { AppError, type ErrorCode } from '@agent-otp/shared';
import type { DeliveryOutcome, RelayPort } from './relay-port.js';

/** Outcomes that mean "someone else got there first", not a fault of this connector. */
const TAKEN: ReadonlySet<ErrorCode> = new Set([
  'CONFLICT',
  'NOT_FOUND',
  'OTP_ALREADY_CONSUMED',
  'OTP_EXPIRED',
  'OTP_DENIED',
  'OTP_CANCELLED',
  'INVALID_TRANSITION',
]);

/**
 * The relay port of the connector built into `agent-otp serve`: core functions called
 * directly, acting as the owner's built-in email capture source.
 *
 * @example
 * const relay = inProcessRelay(ctx, await ensureBuiltInEmailSource(ctx, owner.id, 'built-in IMAP connector'));
 */
export function inProcessRelay(ctx: CoreContext, source: AuthenticatedSource): RelayPort {
  return {
    description: `in-process relay as source ${source.sourceId}`,
    openRequests: () => listOpenRequestsForSource(ctx, source),
    async deliver(requestId, encryptedPayload): Promise<DeliveryOutcome> {
      try {
        return (await deliverOtpPayload(ctx, source, requestId, encryptedPayload)).status;
      } catch (error) {
        if (error instanceof AppError && TAKEN.has(error.code)) return 'taken';
        throw error;
      }
    },
    async waitForNewRequests(known, signal) {
      if (signal.aborted) return;
      let wake: () => void = () => {};
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      // Subscribe before listing, so a request created in between still wakes us.
      const unsubscribe = ctx.bus.subscribe(ownerTopic(source.ownerId), (event) => {
        if (event.type === 'created' && event.kind === 'otp') wake();
      });
      signal.addEventListener('abort', wake, { once: true });
      try {
        const open = await listOpenRequestsForSource(ctx, source);
        if (open.some((request) => !known.has(request.id))) return;
        await woken;
      } finally {
        unsubscribe();
        signal.removeEventListener('abort', wake);
      }
    },
  };
}
