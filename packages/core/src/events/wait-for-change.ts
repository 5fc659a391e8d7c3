import type { CoreContext } from '../context.js';
import { abortAfter } from './abort-after.js';
import { requestTopic } from './event-bus.js';
import { longPollCapMs } from './long-poll-cap.js';
import { watchChanges } from './watch-changes.js';

/** What {@link waitForChange} needs to know about one kind of request. */
export interface ChangeWatch<Row extends { status: string; expires_at: string }> {
  /** Reads the row (scoped to its reader, expiry applied); throws when it is not theirs. */
  read: () => Promise<Row>;
  /** Statuses a waiter never waits on: the answer is already final or actionable. */
  settled: ReadonlySet<string>;
  /** Whether a re-read row still looks like the first one (default: same status). */
  same?: (initial: Row, current: Row) => boolean;
  /** Waiters whose `read` returns the same row (same request, same scope) share re-reads under this key. */
  shareKey?: string;
  /**
   * Called once, when the first read says to wait (the row is not settled): a served
   * long-poll then lets go of its HTTP handler and answers later (late-answer.ts).
   */
  onParked?: () => void;
}

/**
 * The one long-poll, on {@link watchChanges}: returns the row at once when it is settled,
 * `waitSeconds` is 0 or the caller already went away; otherwise when the row changes, it
 * expires, its wait runs out (between 90% and 100% of `waitSeconds`, at random, so waiters
 * that started together do not all re-poll together: {@link longPollCapMs}) or `signal` aborts. An event naming the request, or a bus
 * `resync` (the event connection came back), only triggers a re-read: the waiter keeps
 * waiting if the row did not change. (With several instances, the NOTIFY of a request's own
 * `created` can reach a waiter on another instance after it started waiting.)
 *
 * @example
 * const row = await waitForChange(ctx, id, 30, { read: () => readRequest(ctx, OTP_REQUESTS, id, scope), settled }, signal);
 */
export async function waitForChange<Row extends { status: string; expires_at: string }>(
  ctx: CoreContext,
  id: string,
  waitSeconds: number,
  watch: ChangeWatch<Row>,
  signal?: AbortSignal,
): Promise<Row> {
  const same = watch.same ?? ((initial: Row, current: Row) => initial.status === current.status);
  const until = abortAfter(longPollCapMs(waitSeconds), signal);
  const feed = {
    topic: requestTopic(id),
    read: watch.read,
    deadline: (row: Row) => row.expires_at,
    shareKey: watch.shareKey,
  };
  try {
    let initial: Row | undefined;
    for await (const { row, cause } of watchChanges(ctx, feed, until.signal)) {
      if (initial === undefined) {
        if (waitSeconds <= 0 || watch.settled.has(row.status) || signal?.aborted) return row;
        initial = row;
        watch.onParked?.();
      } else if ((cause !== 'event' && cause !== 'resync') || !same(initial, row)) return row;
    }
    // Unreachable: the feed yields until the loop returns.
    return watch.read();
  } finally {
    until.dispose();
  }
}
