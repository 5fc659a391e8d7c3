import { errorFromResponse, parseRetryAfter } from './error-mapping.js';
import { type AgentOTPError, NetworkError, RateLimitError, ServerError } from './errors.js';
import {
  backoffDelay,
  failedBeforeSending,
  fitsBudget,
  type RetryPolicy,
  shouldRetryStatus,
  sleep,
} from './retry.js';
import { linkSignals } from './signals.js';

/** How the transport reaches the relay. */
export interface TransportConfig {
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  maxRetries: number;
  /** Longest one attempt may take, on top of any long-poll wait it asked the server for. */
  timeoutMs: number;
}

/** One API call. */
export interface SendOptions<T> {
  policy: RetryPolicy;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Seconds the server was asked to hold the request (long-poll); extends the attempt timeout. */
  waitSeconds?: number;
  /**
   * When (epoch ms) the caller's time budget ends, e.g. the deadline of a wait. A
   * `Retry-After` that would end past it is not waited out: the error is thrown at once.
   * Default: `timeoutMs` after the call starts.
   */
  deadline?: number | undefined;
  /** Checks the success body has the expected shape. */
  accept: (body: unknown) => body is T;
}

type Attempt<T> =
  | { value: T }
  | { error: AgentOTPError; retryable: boolean; retryAfter?: number | undefined };

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends authenticated JSON requests to the relay, maps errors to SDK error classes and
 * retries according to each call's {@link RetryPolicy}.
 *
 * @example
 * const transport = new Transport({ baseUrl, apiKey, fetch, maxRetries: 3, timeoutMs: 30_000 });
 * const request = await transport.send('GET', `/api/v1/otp/${id}`, { policy: 'idempotent', accept: isOtpRequest });
 */
export class Transport {
  // A private field, so logging the client never prints the API key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  async send<T>(method: string, path: string, options: SendOptions<T>): Promise<T> {
    const budgetEnd = options.deadline ?? Date.now() + this.#config.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const result = await this.attemptOnce(method, path, options);
      if ('value' in result) return result.value;
      const { error, retryable, retryAfter } = result;
      if (!retryable || attempt >= this.#config.maxRetries) throw error;
      const delay = backoffDelay(attempt, retryAfter);
      // Only the server's own pause is held against the budget; backoff pauses are short,
      // and a wait's signal already ends them at its deadline.
      if (retryAfter !== undefined && !fitsBudget(delay, budgetEnd)) throw error;
      await sleep(delay, options.signal);
    }
  }

  private async attemptOnce<T>(method: string, path: string, options: SendOptions<T>): Promise<Attempt<T>> {
    const { policy, signal } = options;
    const timeoutMs = this.#config.timeoutMs + (options.waitSeconds ?? 0) * 1000;
    const linked = linkSignals([signal], timeoutMs);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#config.apiKey}`,
      accept: 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const fetchImpl = this.#config.fetch;
    try {
      let response: Response;
      try {
        response = await fetchImpl(`${this.#config.baseUrl}${path}`, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: linked.signal,
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const timedOut = linked.signal.aborted;
        const networkError = timedOut
          ? new NetworkError(`${method} ${path} got no answer within ${timeoutMs} ms`, {
              code: 'TIMEOUT',
              cause: error,
            })
          : new NetworkError(`could not reach ${this.#config.baseUrl}: ${describeFailure(error)}`, {
              cause: error,
            });
        return {
          error: networkError,
          retryable: policy === 'idempotent' || (!timedOut && failedBeforeSending(error)),
        };
      }
      if (!response.ok) {
        const error = await errorFromResponse(response);
        if (signal?.aborted) throw signal.reason;
        const retryAfter =
          error instanceof RateLimitError
            ? error.retryAfter
            : parseRetryAfter(response.headers.get('retry-after'));
        return { error, retryable: shouldRetryStatus(response.status, policy), retryAfter };
      }
      return { value: await this.readBody(response, options, linked.signal) };
    } finally {
      linked.dispose();
    }
  }

  private async readBody<T>(
    response: Response,
    options: SendOptions<T>,
    attemptSignal: AbortSignal,
  ): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      // The server already acted; a repeat of a create or consume could not help, so never retry here.
      if (attemptSignal.aborted)
        throw new NetworkError('the response body did not arrive in time', { code: 'TIMEOUT', cause: error });
      throw new ServerError(`the server answered ${response.status} with a body that is not JSON`, {
        code: 'INVALID_RESPONSE',
        status: response.status,
        requestId: response.headers.get('x-request-id') ?? undefined,
        cause: error,
      });
    }
    if (!options.accept(body))
      throw new ServerError(
        'the server answered with an unexpected shape; is AGENT_OTP_URL an Agent OTP relay?',
        {
          code: 'INVALID_RESPONSE',
          status: response.status,
          requestId: response.headers.get('x-request-id') ?? undefined,
        },
      );
    return body;
  }
}
