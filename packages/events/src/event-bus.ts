import type { RequestKind, Tx } from '@agent-otp/db';

/** What an event is about: a request of either kind, or a held message (`held`) the owner assigns to a request. */
export type RequestEventKind = RequestKind | 'held';

/** Something that happened to a request, published after its transaction commits. */
export interface RequestEvent {
  type: 'created' | 'status';
  kind: RequestEventKind;
  requestId: string;
  ownerId: string;
  agentId: string;
  /** The request's status after the change (an OTP or a permission status). */
  status: string;
  /** OTP requests: whether a ciphertext is waiting (delivered during pending_approval). */
  hasPayload?: boolean;
  /**
   * Whether the change queued a webhook event in its transaction, so webhook delivery is
   * woken only when there is something to send. Absent: the publisher does not say, and
   * delivery looks in case.
   */
  webhookQueued?: boolean;
}

/**
 * The bus may have missed events (its PostgreSQL LISTEN connection dropped and is back):
 * sent to every subscriber of every topic, so each re-reads what it waits on instead of
 * waiting for a wake-up that was lost.
 */
export interface ResyncEvent {
  type: 'resync';
}

/** What subscribers receive: a request's event, or a {@link ResyncEvent}. */
export type BusEvent = RequestEvent | ResyncEvent;

export type Unsubscribe = () => void;

/**
 * Carries request events to waiters: long-polls, SSE streams, capture sources, the
 * dashboard and the Telegram bot. One process uses {@link InProcessEventBus}; several
 * processes share PostgreSQL LISTEN/NOTIFY (`PostgresEventBus`).
 */
export interface EventBus {
  /**
   * Wakes this process's subscribers, and other instances' unless `othersNotified` says
   * {@link notifyOthersWithin} already told them (in the transaction that made the change).
   */
  publish(event: RequestEvent, options?: { othersNotified?: boolean }): void;
  /**
   * Buses that reach other instances: queues the event for them inside `tx`, delivered when
   * it commits and never if it rolls back, so it costs no round trip of its own after the
   * commit. The caller still calls {@link publish} with `othersNotified` after the commit.
   */
  notifyOthersWithin?(tx: Tx, event: RequestEvent): Promise<void>;
  /** Topics: {@link requestTopic} and {@link ownerTopic}. Listeners treat `resync` as a wake-up. */
  subscribe(topic: string, listener: (event: BusEvent) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Every event about one request (OTP or permission; IDs are prefixed, so they never clash). */
export const requestTopic = (requestId: string) => `request:${requestId}`;
/** Every event about any request of one owner. */
export const ownerTopic = (ownerId: string) => `owner:${ownerId}`;

/**
 * Every event about every request of every owner: for channels that serve all owners at
 * once (the Telegram bot). Both buses deliver it, since both dispatch through {@link topicsOf}.
 */
export const ALL_REQUESTS_TOPIC = 'requests:all';

/**
 * The topics an event is dispatched to: its request, its owner, and everything.
 *
 * @example
 * topicsOf(event); // ['request:otp_…', 'owner:own_…', 'requests:all']
 */
export function topicsOf(event: RequestEvent): string[] {
  return [requestTopic(event.requestId), ownerTopic(event.ownerId), ALL_REQUESTS_TOPIC];
}
