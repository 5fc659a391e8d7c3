import type { CaptureRequest } from '@agent-otp/shared';

/** What happened to one delivery. `taken`: the request already holds a code or closed meanwhile. */
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
