import type { CoreContext } from '../context.js';
import { abortAfter } from './abort-after.js';
import { requestTopic } from './event-bus.js';
import { longPollCapMs } from './long-poll-cap.js';
import { type Change, watchChanges } from './watch-changes.js';

/** What {@link waitForChange} needs to know about one kind of request. */
export interface ChangeWatch<Row extends { status: string; expires_at: string }> {
  /** Reads the row (scoped to its reader, expiry applied); throws when it is not theirs. */
  read: () => Promise<Row>;
  /** Statuses a waiter never waits on: the answer is already final or actionable. */
  settled: ReadonlySet<string>;
  /**
   * What a re-read row must still show for the waiter to keep waiting (default: its status).
   * Only this is kept from the first read while waiting, not the row (issue 18).
   */
  identity?: (row: Row) => string;
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
  const identity = watch.identity ?? ((row: Row) => row.status);
  const until = abortAfter(longPollCapMs(waitSeconds), signal);
  const feed = {
    topic: requestTopic(id),
    read: watch.read,
    deadline: (row: Row) => row.expires_at,
    shareKey: watch.shareKey,
  };
  try {
    let initial: string | undefined;
    /** The row to answer with, or undefined to keep waiting. */
    const answerFrom = (change: Change<Row>): Row | undefined => {
      const { row, cause } = change;
      // The change stays in this generator's frame while it waits; the row it read does not.
      (change as { row: Row | undefined }).row = undefined;
      if (initial === undefined) {
        if (waitSeconds <= 0 || watch.settled.has(row.status) || signal?.aborted) return row;
        initial = identity(row);
        watch.onParked?.();
        return undefined;
      }
      return (cause !== 'event' && cause !== 'resync') || identity(row) !== initial ? row : undefined;
    };
    for await (const change of watchChanges(ctx, feed, until.signal)) {
      const answer = answerFrom(change);
      if (answer !== undefined) return answer;
    }
    // Unreachable: the feed yields until the loop returns.
    return watch.read();
  } finally {
    until.dispose();
  }
}
