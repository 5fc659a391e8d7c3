import {
  type ChangeFeed,
  type CoreContext,
  type DecisionSubject,
  getDecisionSubject,
  listHeldMessages,
  listPendingDecisions,
  ownerTopic,
  watchChanges,
} from '@agent-otp/core';
import { DecisionSubjectSchema, type HeldMessage } from '@agent-otp/shared';
import type { Logger } from '../../logger.js';

/** Events that arrive together (a delivery and an approval) become one update. */
const COALESCE_MS = 25;

/** What every open dashboard of one owner is sent after a change, serialised once for all. */
export interface QueueUpdate {
  /** Each request that changed, by ID, as the `request` event's data. */
  requests: Map<string, string>;
  /** The `pending` event's data: the whole queue. */
  pending: string;
  /** The `held` event's data: the held messages. */
  held: string;
}

/** One open dashboard stream: told every update, and told when the owner's feed ends. */
export interface QueueFollower {
  update(update: QueueUpdate): void;
  /** The feed stopped (its database read failed): the stream should end so the browser reconnects. */
  end(): void;
}

/** One read of what the owner's dashboard shows: the requests that changed, the queue, the held messages. */
interface OwnerQueue {
  subjects: DecisionSubject[];
  pending: DecisionSubject[];
  held: HeldMessage[];
}

const wire = (subject: DecisionSubject) => DecisionSubjectSchema.parse(subject);

/** One owner's feed: one bus subscription and one read per change, for all their open tabs. */
class OwnerFeed {
  readonly followers = new Set<QueueFollower>();
  /** The last queue read, replayed to a tab that opens meanwhile (without the changed requests). */
  latest: QueueUpdate | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly ctx: CoreContext,
    private readonly logger: Logger,
    private readonly ownerId: string,
    private readonly onEnd: () => void,
  ) {}

  /** Reads and forwards until {@link close}, or until a read fails. */
  async run(): Promise<void> {
    const { ctx, ownerId } = this;
    const changed = new Set<string>();
    const feed: ChangeFeed<OwnerQueue> = {
      topic: ownerTopic(ownerId),
      // Every event names a request to send again; a resync changes no one request and
      // re-reads the queue only.
      wakesOn: (event) => {
        changed.add(event.requestId);
        return true;
      },
      read: async () => {
        const ids = [...changed];
        changed.clear();
        const subjects: DecisionSubject[] = [];
        for (const id of ids) {
          const subject = await getDecisionSubject(ctx, ownerId, id);
          if (subject) subjects.push(subject);
        }
        const pending = await listPendingDecisions(ctx, ownerId);
        return { subjects, pending, held: await listHeldMessages(ctx, ownerId) };
      },
      // The sweeper announces expiries; this deadline also drops an overdue item if it lags.
      deadline: ({ pending, held }) => {
        const soonest = Math.min(...[...pending, ...held].map((p) => Date.parse(p.expiresAt)));
        return Number.isFinite(soonest) ? new Date(soonest).toISOString() : undefined;
      },
      settleMs: COALESCE_MS,
    };
    try {
      for await (const { row } of watchChanges(ctx, feed, this.stop.signal)) {
        if (this.stop.signal.aborted) break;
        const update: QueueUpdate = {
          requests: new Map(row.subjects.map((subject) => [subject.id, JSON.stringify(wire(subject))])),
          pending: JSON.stringify({ approvals: row.pending.map(wire) }),
          held: JSON.stringify({ heldMessages: row.held }),
        };
        this.latest = { ...update, requests: new Map() };
        for (const follower of [...this.followers]) follower.update(update);
      }
    } catch (error) {
      // A failed read (the database went away) ends every tab's stream; browsers reconnect.
      this.logger.warn({ err: { message: (error as Error).message } }, 'approval stream feed stopped');
    } finally {
      this.onEnd();
      for (const follower of [...this.followers]) follower.end();
    }
  }

  close(): void {
    this.stop.abort();
  }
}

/**
 * The owners' approval queues, each read once per change however many dashboard tabs the
 * owner has open (each tab used to run its own subscription and queries: five tabs added
 * 64% to the server's CPU per lifecycle). A feed starts with its owner's first tab and stops
 * with the last. Feeds are keyed by owner, and each reads only its owner's requests.
 *
 * @example
 * const stop = queues.follow(ownerId, { update: (u) => send(u), end: () => close() });
 */
export class OwnerQueues {
  private readonly feeds = new Map<string, OwnerFeed>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly logger: Logger,
  ) {}

  /** Tells `follower` the owner's queue now (if already read) and after every change. */
  follow(ownerId: string, follower: QueueFollower): () => void {
    let feed = this.feeds.get(ownerId);
    if (!feed) {
      const created: OwnerFeed = new OwnerFeed(this.ctx, this.logger, ownerId, () => {
        if (this.feeds.get(ownerId) === created) this.feeds.delete(ownerId);
      });
      this.feeds.set(ownerId, created);
      void created.run();
      feed = created;
    }
    const joined = feed;
    joined.followers.add(follower);
    if (joined.latest) follower.update(joined.latest);
    return () => {
      if (!joined.followers.delete(follower) || joined.followers.size > 0) return;
      if (this.feeds.get(ownerId) === joined) this.feeds.delete(ownerId);
      joined.close();
    };
  }

  /** Owners with a feed running (for leak checks in tests). */
  get ownerCount(): number {
    return this.feeds.size;
  }
}
