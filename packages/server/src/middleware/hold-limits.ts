import type { ServerResponse } from 'node:http';
import { AppError } from '@agent-otp/shared';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, ServerServices } from '../env.js';

/**
 * Counts the requests each credential holds open (long-polls, SSE streams). In memory per
 * process, like the rate limiter: behind a load balancer each instance enforces its own cap.
 *
 * @example
 * const holds = new HoldCounter(10);
 * const release = holds.acquire('agent:key_01…'); // undefined when the credential is at its cap
 */
export class HoldCounter {
  private readonly held = new Map<string, number>();

  constructor(readonly maxPerCredential: number) {}

  /** Takes a slot for `credential`; the returned function gives it back (once). */
  acquire(credential: string): (() => void) | undefined {
    const count = this.held.get(credential) ?? 0;
    if (count >= this.maxPerCredential) return undefined;
    this.held.set(credential, count + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (this.held.get(credential) ?? 1) - 1;
      if (left > 0) this.held.set(credential, left);
      else this.held.delete(credential);
    };
  }
}

/** The credential the auth middleware resolved: an API key, a source token or an owner. */
function credentialOf(c: Context<AppEnv>): string {
  const agent = c.get('agent');
  if (agent) return `key:${agent.keyId}`;
  const source = c.get('source');
  if (source) return `source:${source.sourceId}`;
  const owner = c.get('owner');
  if (owner) return `owner:${owner.id}`;
  // Routes declared as holding a connection all sit behind an auth middleware.
  throw new AppError('UNAUTHORIZED', 'this endpoint needs a credential');
}

/** Whether this request will hold its connection: SSE always, a long-poll only with `wait` > 0. */
export type HoldsWhen = 'always' | 'when-waiting';

/**
 * Declares that a route holds its connection open (a long-poll or an SSE stream), so each
 * credential may hold at most MAX_WAITS_PER_CREDENTIAL of them at once; one more is answered
 * 429 with Retry-After instead of piling up sockets. The slot is given back when the
 * response is finished or the client goes away, not when the handler returns, because an
 * SSE handler returns while its stream is still being written.
 *
 * @example
 * app.openapi({ ...otpEventsRoute, middleware: [holdsConnection(services, 'always')] }, handler);
 */
export function holdsConnection(services: ServerServices, when: HoldsWhen): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (when === 'when-waiting' && !(Number(c.req.query('wait') ?? 0) > 0)) return next();
    const limit = services.holds.maxPerCredential;
    const release = services.holds.acquire(credentialOf(c));
    if (!release) {
      c.header('Retry-After', '1');
      throw new AppError(
        'RATE_LIMITED',
        `too many open waits: at most ${limit} concurrent waits per credential (long-polls and event streams); retry after 1 s`,
        { retryAfter: 1 },
      );
    }
    // 'close' fires once the response is fully written or the client has gone.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing && !outgoing.closed) outgoing.once('close', release);
    else if (outgoing) release();
    try {
      await next();
    } finally {
      // In-process requests (app.request in tests) have no socket to watch.
      if (!outgoing) release();
    }
  };
}
