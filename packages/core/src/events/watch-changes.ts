import type { CoreContext } from '../context.js';
import { deadlineTimers } from './deadline-timers.js';
import type { RequestEvent } from './event-bus.js';
import { topicFollowers } from './topic-followers.js';

/** What {@link watchChanges} re-reads, and when. */
export interface ChangeFeed<Row> {
  /** The bus topic whose events wake the reader: `requestTopic(id)`, `ownerTopic(ownerId)`. */
  topic: string;
  /** Reads the current state; throws when it is not the caller's. */
  read: () => Promise<Row>;
  /** Which events wake the reader (default: every one); a `resync` always does. */
  wakesOn?: (event: RequestEvent) => boolean;
  /** When the state changes by itself with no event (an expiry), as an ISO time. */
  deadline?: (row: Row) => string | undefined;
  /** After a wake-up, wait this long before re-reading, so changes made together are read once. */
  settleMs?: number;
  /**
   * Readers of the same topic whose `read` returns the same thing (the same request in the
   * same scope) give the same key, and share one re-read after an event instead of a query
   * each. Their first read stays their own: it is what checks they may read at all.
   */
  shareKey?: string;
}

/** One read, and why it happened. */
export interface Change<Row> {
  row: Row;
  /** `start`: the first read; `event`/`resync`: the bus; `deadline`: the row's own; `abort`: `signal`. */
  cause: 'start' | 'event' | 'resync' | 'deadline' | 'abort';
}

/**
 * The one way to follow something on the bus: yields a read at once and a re-read after
 * every wake-up (an event, a `resync` after the bus lost its connection, the row's own
 * deadline, or `signal` aborting, which also ends the stream after that last read).
 * Subscribes before the first read and re-arms before every re-read, so a change during a
 * read means one more read, never a missed one. Long-polls stop after the read they want;
 * SSE routes forward every read. Leaving the loop unsubscribes.
 *
 * However many readers follow one topic, the bus holds one subscription for it
 * ({@link topicFollowers}); deadlines share the process's one timer ({@link deadlineTimers}).
 *
 * @example
 * for await (const { row } of watchChanges(ctx, { topic: requestTopic(id), read }, signal)) send(row);
 */
export async function* watchChanges<Row>(
  ctx: CoreContext,
  feed: ChangeFeed<Row>,
  signal?: AbortSignal,
): AsyncGenerator<Change<Row>, void, void> {
  const followers = topicFollowers(ctx.bus);
  let wake: (cause: Change<Row>['cause']) => void = () => {};
  let woken!: Promise<Change<Row>['cause']>;
  const arm = () => {
    woken = new Promise((resolve) => {
      wake = resolve;
    });
  };
  arm();
  const unfollow = followers.follow(feed.topic, (event) => {
    if (event.type === 'resync') wake('resync');
    else if (!feed.wakesOn || feed.wakesOn(event)) wake('event');
  });
  const onAbort = () => wake('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  let cancelDeadline = () => {};
  try {
    let cause: Change<Row>['cause'] = 'start';
    for (;;) {
      arm();
      // Only a re-read the bus asked for can be shared: one at a deadline must see the time pass.
      const shared = feed.shareKey !== undefined && (cause === 'event' || cause === 'resync');
      let row: Row | undefined = shared
        ? await followers.sharedRead(feed.topic, feed.shareKey!, followers.generation(feed.topic), feed.read)
        : await feed.read();
      yield { row, cause };
      if (signal?.aborted) return;
      const deadline = feed.deadline?.(row);
      // Not kept while waiting: a parked reader holds its deadline, not the row it last read.
      row = undefined;
      if (deadline !== undefined)
        cancelDeadline = deadlineTimers.schedule(
          // Past the deadline (the timers may fire up to their resolution early), so the re-read sees it.
          Date.parse(deadline) - ctx.clock.now().getTime() + 50,
          () => wake('deadline'),
        );
      cause = await woken;
      cancelDeadline();
      if (feed.settleMs && cause !== 'abort')
        await new Promise((resolve) => setTimeout(resolve, feed.settleMs));
    }
  } finally {
    cancelDeadline();
    unfollow();
    signal?.removeEventListener('abort', onAbort);
  }
}
