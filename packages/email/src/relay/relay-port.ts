import type { CaptureRequest } from '@agent-otp/shared';

/**
 * What happened to one delivery. `taken`: this request no longer wants this code (it closed,
 * holds another code, or refused the payload), so offer the message to the next candidate.
 * "Try again" is never an outcome: `deliver` retries what it can and otherwise throws a
 * retryable error, and the message is looked at again later.
 */
export type DeliveryOutcome = 'pending_approval' | 'otp_received' | 'taken';

/**
 * Where the connector gets the open requests and sends ciphertext: the relay's core in the
 * same process (`agent-otp serve`), or the capture API over HTTP (`agent-otp email:watch`).
 * Only a compact JWE ever crosses this port.
 */
export interface RelayPort {
  /** Names the relay in logs (no secrets). */
  readonly description: string;
  /** The open requests this source may serve, oldest first. */
  openRequests(): Promise<CaptureRequest[]>;
  deliver(requestId: string, encryptedPayload: string): Promise<DeliveryOutcome>;
  /**
   * Resolves when a request not in `known` may have appeared (or `signal` aborts), so mail that
   * landed just before a request can be looked at again.
   */
  waitForNewRequests(known: ReadonlySet<string>, signal: AbortSignal): Promise<void>;
}
