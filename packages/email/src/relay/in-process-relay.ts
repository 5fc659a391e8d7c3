import {
  type AuthenticatedSource,
  type CoreContext,
  deliverOtpPayload,
  deliveryThreshold,
  holdMessage,
  listOpenRequestsForSource,
  openRequestsFeed,
  recordUnclearMessage,
  watchChanges,
} from '@agent-otp/core';
import { AppError } from '@agent-otp/shared';
import { GONE_CODES } from './delivery-verdict.js';
import type { DeliveryOutcome, RelayPort } from './relay-port.js';

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
    minConfidence: deliveryThreshold(ctx.extractMinConfidence),
    openRequests: () => listOpenRequestsForSource(ctx, source),
    async deliver(requestId, encryptedPayload): Promise<DeliveryOutcome> {
      try {
        return (await deliverOtpPayload(ctx, source, requestId, encryptedPayload)).status;
      } catch (error) {
        // The same split as over HTTP: a closed request is gone, anything else is retried later.
        if (error instanceof AppError && GONE_CODES.has(error.code)) return 'taken';
        throw error;
      }
    },
    async hold(message) {
      try {
        await holdMessage(ctx, source, message);
        return 'held';
      } catch (error) {
        if (error instanceof AppError && GONE_CODES.has(error.code)) return 'taken';
        throw error;
      }
    },
    async reportUnclear(requestId, message) {
      try {
        await recordUnclearMessage(ctx, source, requestId, message);
      } catch (error) {
        // The request closed meanwhile: nobody is waiting to be told.
        if (!(error instanceof AppError && GONE_CODES.has(error.code))) throw error;
      }
    },
    async waitForNewRequests(known, signal) {
      if (signal.aborted) return;
      // The first list shows whether something new appeared before the wait began; any
      // later read means a wake-up, and the caller lists again.
      for await (const { row, cause } of watchChanges(ctx, openRequestsFeed(ctx, source), signal))
        if (cause !== 'start' || row.some((request) => !known.has(request.id))) return;
    },
  };
}
