import type { CoreContext } from '../context.js';
import { requestTopic } from './event-bus.js';

/** What {@link waitForChange} needs to know about one kind of request. */
export interface ChangeWatch<Row extends { status: string; expires_at: string }> {
  /** Reads the row (scoped to its reader, expiry applied); throws when it is not theirs. */
  read: () => Promise<Row>;
  /** Statuses a waiter never waits on: the answer is already final or actionable. */
  settled: ReadonlySet<string>;
  /** Whether a re-read row still looks like the first one (default: same status). */
  same?: (initial: Row, current: Row) => boolean;
}

/**
 * The one long-poll: returns the row at once when it is settled, `waitSeconds` is 0 or the
 * caller already went away; otherwise when an event names the request, the row changes, it
 * expires, `waitSeconds` pass or `signal` aborts. Subscribes before the first read, so a
 * change between the read and the wait is never missed; re-arms before every re-read, so a
 * wake-up during a read means one more read. A bus `resync` (the event connection came
 * back) only triggers a re-read: the waiter keeps waiting if nothing changed.
 *
 * @example
 * const row = await waitForChange(ctx, id, 30, { read: () => readOtpRequest(ctx, id, scope), settled }, signal);
 */
export async function waitForChange<Row extends { status: string; expires_at: string }>(
  ctx: CoreContext,
  id: string,
  waitSeconds: number,
  watch: ChangeWatch<Row>,
  signal?: AbortSignal,
): Promise<Row> {
  const same = watch.same ?? ((initial: Row, current: Row) => initial.status === current.status);
  let wake: () => void = () => {};
  let woken!: Promise<void>;
  const arm = () => {
    woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  arm();
  let heardChange = false;
  const unsubscribe = ctx.bus.subscribe(requestTopic(id), (event) => {
    if (event.type !== 'resync') heardChange = true;
    wake();
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const onAbort = () => wake();
  try {
    const initial = await watch.read();
    if (waitSeconds <= 0 || watch.settled.has(initial.status) || signal?.aborted) return initial;
    const untilExpiry = Date.parse(initial.expires_at) - ctx.clock.now().getTime();
    timer = setTimeout(
      () => {
        timedOut = true;
        wake();
      },
      Math.max(0, Math.min(waitSeconds * 1000, untilExpiry + 50)),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    for (;;) {
      await woken;
      arm();
      const changed = heardChange;
      const row = await watch.read();
      if (changed || timedOut || signal?.aborted || !same(initial, row)) return row;
    }
  } finally {
    unsubscribe();
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
