import type { CaptureRequest, UnclearOutcome } from '@agent-otp/shared';

/**
 * What happened to one delivery. `taken`: this request no longer wants this code (it closed,
 * holds another code, or refused the payload), so offer the message to the next candidate.
 * "Try again" is never an outcome: `deliver` retries what it can and otherwise throws a
 * retryable error, and the message is looked at again later.
 */
export type DeliveryOutcome = 'pending_approval' | 'otp_received' | 'taken';

/** A tied message as the connector hands it over: sender, time and ciphertexts only. */
export interface HeldMessageInput {
  from: string;
  receivedAt: Date;
  payloads: { requestId: string; encryptedPayload: string }[];
}

/** A matched message that held no clear code, as the connector reports it: sender, time and verdict only. */
export interface UnclearMessageInput {
  from: string;
  receivedAt: Date;
  outcome: UnclearOutcome;
  /** The best candidate's confidence (0..1); null with `no_code`. */
  confidence: number | null;
}

/**
 * Where the connector gets the open requests and sends ciphertext: the relay's core in the
 * same process (`agent-otp serve`), or the capture API over HTTP (`agent-otp email:watch`).
 * Only a compact JWE ever crosses this port.
 */
export interface RelayPort {
  /** Names the relay in logs (no secrets). */
  readonly description: string;
  /**
   * EXTRACT_MIN_CONFIDENCE of the process running the connector: codes the extractor is less
   * sure of are not delivered, and the request's owner is told a message came instead.
   */
  readonly minConfidence: number;
  /** The open requests this source may serve, oldest first. */
  openRequests(): Promise<CaptureRequest[]>;
  deliver(requestId: string, encryptedPayload: string): Promise<DeliveryOutcome>;
  /**
   * Hands over a message that requests of several agents matched equally well, one ciphertext
   * per candidate, for the owner to assign (`POST /api/v1/capture/held`). `taken`: one of the
   * candidates closed or got a code meanwhile.
   */
  hold(message: HeldMessageInput): Promise<'held' | 'taken'>;
  /**
   * Tells the owner that a message matched this request but held no clear code
   * (`POST /api/v1/capture/requests/:id/unclear`); the request stays open. Never content.
   */
  reportUnclear(requestId: string, message: UnclearMessageInput): Promise<void>;
  /**
   * Resolves when a request not in `known` may have appeared (or `signal` aborts), so mail that
   * landed just before a request can be looked at again.
   */
  waitForNewRequests(known: ReadonlySet<string>, signal: AbortSignal): Promise<void>;
}
