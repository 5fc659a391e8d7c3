import { CaptureRequestList, DeliverResponse } from '@agent-otp/shared';
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
  /** How long one long-poll for new requests waits server-side (seconds, ≤ 60). */
  longPollSeconds?: number;
  /** While requests are open the long-poll answers at once; poll this often instead (ms). */
  openPollMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

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
    if (response.status === 401 || response.status === 403) {
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
    if (!response.ok) throw new RelayError(`relay answered ${response.status} to the request list`, false);
    const parsed = CaptureRequestList.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new RelayError('relay sent a request list this connector does not understand', false);
    return parsed.data.requests.filter((request) => request.sources.includes('email'));
  }

  return {
    description: `relay at ${base}`,
    openRequests: () => list(0),
    async deliver(requestId, encryptedPayload): Promise<DeliveryOutcome> {
      const response = await call(
        `/api/v1/capture/requests/${encodeURIComponent(requestId)}/deliver`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ encryptedPayload }),
        },
        15_000,
      );
      if ([404, 409, 410].includes(response.status)) return 'taken';
      if (!response.ok) throw new RelayError(`relay answered ${response.status} to a delivery`, false);
      const parsed = DeliverResponse.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success)
        throw new RelayError('relay sent a delivery answer this connector does not understand', false);
      return parsed.data.status;
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
