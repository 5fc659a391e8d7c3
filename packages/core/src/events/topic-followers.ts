import type { BusEvent, EventBus, Unsubscribe } from './event-bus.js';

/** One topic's followers, their one bus subscription, and the re-reads they share. */
interface Topic {
  listeners: Set<(event: BusEvent) => void>;
  unsubscribe: Unsubscribe;
  /** Counts the topic's events: a read started at generation g has seen every event up to g. */
  generation: number;
  /** Re-reads in flight by share key, with the generation they started at. */
  reads: Map<string, { generation: number; row: Promise<unknown> }>;
}

/**
 * Every reader of a topic in this process behind one bus subscription: a thousand waiters
 * on one request cost the bus one listener, and after an event, readers that read the same
 * thing (the same request in the same scope) share one re-read instead of a query each.
 *
 * @example
 * const followers = topicFollowers(ctx.bus);
 * const stop = followers.follow(requestTopic(id), (event) => wake());
 * const row = await followers.sharedRead(requestTopic(id), `otp:${id}:${agentId}`, generation, read);
 */
export class TopicFollowers {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly bus: EventBus) {}

  /** Calls `listener` with every event of `topic` until the returned function is called. */
  follow(topic: string, listener: (event: BusEvent) => void): Unsubscribe {
    let entry = this.topics.get(topic);
    if (!entry) {
      const created: Topic = { listeners: new Set(), unsubscribe: () => {}, generation: 0, reads: new Map() };
      created.unsubscribe = this.bus.subscribe(topic, (event) => {
        created.generation += 1;
        for (const each of [...created.listeners]) each(event);
      });
      this.topics.set(topic, created);
      entry = created;
    }
    const topicEntry = entry;
    topicEntry.listeners.add(listener);
    return () => {
      if (!topicEntry.listeners.delete(listener) || topicEntry.listeners.size > 0) return;
      topicEntry.unsubscribe();
      if (this.topics.get(topic) === topicEntry) this.topics.delete(topic);
    };
  }

  /** The topic's event count so far (0 when nobody follows it). */
  generation(topic: string): number {
    return this.topics.get(topic)?.generation ?? 0;
  }

  /**
   * `read()`, or the result of a read under the same `key` already in flight that started
   * after the event at `since`: that read sees everything this caller was woken for, so it
   * can stand in for the caller's own. Readers must only share a key when `read` returns the
   * same thing for each (same row, same scope).
   */
  sharedRead<Row>(topic: string, key: string, since: number, read: () => Promise<Row>): Promise<Row> {
    const entry = this.topics.get(topic);
    if (!entry) return read();
    const inFlight = entry.reads.get(key);
    if (inFlight && inFlight.generation >= since) return inFlight.row as Promise<Row>;
    const started = { generation: entry.generation, row: read() as Promise<unknown> };
    entry.reads.set(key, started);
    const forget = () => {
      if (entry.reads.get(key) === started) entry.reads.delete(key);
    };
    started.row.then(forget, forget);
    return started.row as Promise<Row>;
  }

  /** How many topics are followed (for leak checks in tests). */
  get topicCount(): number {
    return this.topics.size;
  }

  /** How many readers follow `topic` (for tests). */
  followerCount(topic: string): number {
    return this.topics.get(topic)?.listeners.size ?? 0;
  }
}

const followersByBus = new WeakMap<EventBus, TopicFollowers>();

/**
 * The {@link TopicFollowers} of `bus` (one per bus, made on first use).
 *
 * @example
 * topicFollowers(ctx.bus).followerCount(requestTopic(id)); // readers waiting on that request
 */
export function topicFollowers(bus: EventBus): TopicFollowers {
  let followers = followersByBus.get(bus);
  if (!followers) {
    followers = new TopicFollowers(bus);
    followersByBus.set(bus, followers);
  }
  return followers;
}
