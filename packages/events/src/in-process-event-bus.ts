import type { BusEvent, EventBus, RequestEvent, Unsubscribe } from './event-bus.js';
import { topicsOf } from './event-bus.js';

/**
 * Delivers events to subscribers in this process. Listeners are held per topic in a Set,
 * so a thousand waiters on a thousand requests cost one map lookup per event.
 *
 * @example
 * const bus = new InProcessEventBus();
 * const off = bus.subscribe(requestTopic(id), (event) => console.log(event.status));
 */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<(event: BusEvent) => void>>();

  // One process: there are no others to notify, whatever `options` says.
  publish(event: RequestEvent, _options?: { othersNotified?: boolean }): void {
    this.dispatch(event);
  }

  /** Hands an event to local listeners only (used by buses that receive from elsewhere). */
  dispatch(event: RequestEvent): void {
    for (const topic of topicsOf(event)) {
      const set = this.listeners.get(topic);
      if (!set) continue;
      for (const listener of [...set]) listener(event);
    }
  }

  /**
   * Tells every subscriber of every topic to re-read: events may have been missed (a
   * cross-process bus calls this after reconnecting).
   *
   * @example
   * bus.resync(); // each long-poll, stream and watcher re-reads its request(s)
   */
  resync(): void {
    const event: BusEvent = { type: 'resync' };
    for (const set of [...this.listeners.values()]) for (const listener of [...set]) listener(event);
  }

  subscribe(topic: string, listener: (event: BusEvent) => void): Unsubscribe {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(topic);
    };
  }

  /** Number of topics with listeners (for leak checks in tests). */
  get topicCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
