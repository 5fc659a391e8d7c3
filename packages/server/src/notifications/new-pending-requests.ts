import { ALL_REQUESTS_TOPIC, type CoreContext } from '@agent-otp/core';

/** Requests remembered as announced, so a repeated event announces nothing twice (bounded memory). */
const REMEMBERED_REQUESTS = 10_000;

/** A running watch: its shutdown signal, and how to wait for or stop what it started. */
export interface NewPendingRequestWatch {
  /** Aborted by `stop()`: retry loops end and their sleeps return at once. */
  signal: AbortSignal;
  /** Resolves once every announcement started so far has finished (tests). */
  idle(): Promise<void>;
  /** Stops hearing new requests and waits for the announcements under way. */
  stop(): Promise<void>;
}

/**
 * Calls `announce` once per request that starts waiting for its owner's decision (OTP and
 * permission requests, not held messages), beside the request path and never in it. The
 * owner-notification channels (email, Web Push) share this, so each hears the same requests
 * and none announces one twice. `announce` handles its own failures.
 *
 * @example
 * const watch = watchNewPendingRequests(ctx, (ownerId, requestId) => notify(ownerId, requestId));
 * await watch.stop();
 */
export function watchNewPendingRequests(
  ctx: Pick<CoreContext, 'bus'>,
  announce: (ownerId: string, requestId: string) => Promise<void>,
): NewPendingRequestWatch {
  const stopping = new AbortController();
  const announced = new Set<string>();
  const running = new Set<Promise<void>>();

  const unsubscribe = ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
    if (event.type !== 'created' || event.kind === 'held' || event.status !== 'pending_approval') return;
    if (stopping.signal.aborted || announced.has(event.requestId)) return;
    announced.add(event.requestId);
    if (announced.size > REMEMBERED_REQUESTS) {
      const oldest = announced.values().next().value;
      if (oldest !== undefined) announced.delete(oldest);
    }
    const job = announce(event.ownerId, event.requestId).finally(() => running.delete(job));
    running.add(job);
  });

  return {
    signal: stopping.signal,
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async stop() {
      unsubscribe();
      stopping.abort();
      await Promise.all([...running]);
    },
  };
}
