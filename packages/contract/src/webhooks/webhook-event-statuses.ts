import type { RequestKind } from '../schemas/common.js';

/**
 * The statuses an agent hears about by webhook, per kind of request: the ones it acts on. A
 * permission's `cancelled` matters when its owner revoked the token (issue 15): the agent
 * stops relying on a token that no longer works.
 */
export const WEBHOOK_EVENT_STATUSES = {
  otp: ['approved', 'otp_received', 'denied', 'expired', 'cancelled'],
  permission: ['approved', 'denied', 'expired', 'cancelled'],
} as const satisfies Record<RequestKind, readonly string[]>;
