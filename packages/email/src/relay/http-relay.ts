import { deliveryThreshold } from '@agent-otp/core';
import { CaptureRequestList, DeliverResponse } from '@agent-otp/shared';
import { Backoff, sleep } from '../backoff.js';
import { deliveryVerdict } from './delivery-verdict.js';
import type { DeliveryOutcome, RelayPort } from './relay-port.js';

/** The relay refused or could not be reached; `permanent` when retrying cannot help (bad token). */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface HttpRelayOptions {
  /** Base URL of the relay, e.g. `https://otp.example.com`. */
  url: string;
  /** The capture-source token (`cs_…`) of an email source. */
  token: string;
  /** EXTRACT_MIN_CONFIDENCE of this process (see {@link RelayPort.minConfidence}); the extractor's default when absent. */
  minConfidence?: number | undefined;
  /** How long one long-poll for new requests waits server-side (seconds, ≤ 60). */
  longPollSeconds?: number;
  /** While requests are open the long-poll answers at once; poll this often instead (ms). */
  openPollMs?: number;
  /** Tries per delivery when the relay says "try again" (network error, 429, 5xx). Default 4. */
  deliveryAttempts?: number;
  /** First pause between those tries, doubling each time (ms); a Retry-After wins. Default 500. */
  deliveryRetryDelayMs?: number;
}

/** Longest pause a Retry-After may impose on one delivery try (ms). */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * The relay port of the standalone connector (`agent-otp email:watch`): the capture API over
 * HTTP with a source token. Only the compact JWE made next to the mailbox is sent.
 *
 * @example
 * const relay = httpRelay({ url: 'https://otp.example.com', token: 'cs_…' });
 */
export function httpRelay(options: HttpRelayOptions): RelayPort {
  const base = options.url.replace(/\/+$/, '');
  const longPoll = options.longPollSeconds ?? 25;
  const openPollMs = options.openPollMs ?? 2000;

  async function call(path: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${options.token}`, ...init.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new RelayError(`relay at ${base} unreachable (${reason})`, false);
    }
    if (response.status === 401) {
      const body = (await response.json().catch(() => undefined)) as
        | { error?: { message?: string } }
        | undefined;
      throw new RelayError(
        `relay refused the source token: ${body?.error?.message ?? response.status}`,
        true,
      );
    }
    return response;
  }

  async function list(wait: number, signal?: AbortSignal) {
    const response = await call(`/api/v1/capture/requests?wait=${wait}`, {}, (wait + 15) * 1000, signal);
    if (response.status === 403) throw new RelayError('relay refused the source token (403)', true);
    if (!response.ok) throw new RelayError(`relay answered ${response.status} to the request list`, false);
    const parsed = CaptureRequestList.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new RelayError('relay sent a request list this connector does not understand', false);
    return parsed.data.requests.filter((request) => request.sources.includes('email'));
  }

  return {
    description: `relay at ${base}`,
    minConfidence: deliveryThreshold(options.minConfidence),
    openRequests: () => list(0),
    async deliver(requestId, encryptedPayload): Promise<DeliveryOutcome> {
      const attempts = Math.max(1, options.deliveryAttempts ?? 4);
      const backoff = new Backoff(options.deliveryRetryDelayMs ?? 500, MAX_RETRY_AFTER_MS);
      let lastProblem = 'no attempt made';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let response: Response;
        try {
          response = await call(
            `/api/v1/capture/requests/${encodeURIComponent(requestId)}/deliver`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ encryptedPayload }),
            },
            15_000,
          );
        } catch (error) {
          if (error instanceof RelayError && error.permanent) throw error;
          lastProblem = (error as Error).message;
          if (attempt < attempts) await sleep(backoff.next());
          continue;
        }
        const body = (await response.json().catch(() => undefined)) as unknown;
        const verdict = deliveryVerdict(response.status, body);
        if (verdict === 'delivered') {
          const parsed = DeliverResponse.safeParse(body);
          if (!parsed.success)
            throw new RelayError('relay sent a delivery answer this connector does not understand', false);
          return parsed.data.status;
        }
        if (verdict === 'gone') return 'taken';
        lastProblem = `relay answered ${response.status} to a delivery`;
        if (attempt < attempts) {
          const retryAfter = Number(response.headers.get('retry-after'));
          await sleep(
            Number.isFinite(retryAfter) && retryAfter > 0
              ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS)
              : backoff.next(),
          );
        }
      }
      throw new RelayError(`${lastProblem} (gave up after ${attempts} tries; will try again later)`, false);
    },
    async hold(message) {
      const response = await call(
        '/api/v1/capture/held',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...message, receivedAt: message.receivedAt.toISOString() }),
        },
        15_000,
      );
      const verdict = deliveryVerdict(response.status, await response.json().catch(() => undefined));
      if (verdict === 'delivered') return 'held';
      if (verdict === 'gone') return 'taken';
      throw new RelayError(
        `relay answered ${response.status} to a held message; will try again later`,
        false,
      );
    },
    async reportUnclear(requestId, message) {
      const response = await call(
        `/api/v1/capture/requests/${encodeURIComponent(requestId)}/unclear`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...message, receivedAt: message.receivedAt.toISOString() }),
        },
        15_000,
      );
      const verdict = deliveryVerdict(response.status, await response.json().catch(() => undefined));
      // A closed request needs no note; anything else is the relay's trouble, looked at again later.
      if (verdict === 'delivered' || verdict === 'gone') return;
      throw new RelayError(`relay answered ${response.status} to an unclear-message note`, false);
    },
    async waitForNewRequests(known, signal) {
      while (!signal.aborted) {
        const open = await list(longPoll, signal).catch((error: unknown) => {
          if (signal.aborted) return [];
          throw error;
        });
        if (open.some((request) => !known.has(request.id))) return;
        // Open requests make the long-poll answer at once; do not spin on it.
        if (open.length > 0) await sleep(openPollMs, signal);
      }
    },
  };
}
