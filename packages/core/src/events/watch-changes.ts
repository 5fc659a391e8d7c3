import type { CoreContext } from '../context.js';
import type { RequestEvent } from './event-bus.js';

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
 * @example
 * for await (const { row } of watchChanges(ctx, { topic: requestTopic(id), read }, signal)) send(row);
 */
export async function* watchChanges<Row>(
  ctx: CoreContext,
  feed: ChangeFeed<Row>,
  signal?: AbortSignal,
): AsyncGenerator<Change<Row>, void, void> {
  let wake: (cause: Change<Row>['cause']) => void = () => {};
  let woken!: Promise<Change<Row>['cause']>;
  const arm = () => {
    woken = new Promise((resolve) => {
      wake = resolve;
    });
  };
  arm();
  const unsubscribe = ctx.bus.subscribe(feed.topic, (event) => {
    if (event.type === 'resync') wake('resync');
    else if (!feed.wakesOn || feed.wakesOn(event)) wake('event');
  });
  const onAbort = () => wake('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    let cause: Change<Row>['cause'] = 'start';
    for (;;) {
      arm();
      const row = await feed.read();
      yield { row, cause };
      if (signal?.aborted) return;
      const deadline = feed.deadline?.(row);
      if (deadline !== undefined)
        timer = setTimeout(
          () => wake('deadline'),
          Math.max(0, Date.parse(deadline) - ctx.clock.now().getTime() + 50),
        );
      cause = await woken;
      clearTimeout(timer);
      if (feed.settleMs && cause !== 'abort')
        await new Promise((resolve) => setTimeout(resolve, feed.settleMs));
    }
  } finally {
    clearTimeout(timer);
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
