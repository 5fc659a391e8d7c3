import type { IncomingMessage } from '../matching/match-message.js';
import type { AuthenticatedSource } from '../sources/sources.js';

/** A pushed message that served no request yet, kept in this process's memory only. */
export interface HeldSms {
  source: AuthenticatedSource;
  message: IncomingMessage;
  /** When the relay took it (its clock), which bounds how long it is offered. */
  arrivedAtMs: number;
  bytes: number;
}

/** Bounds on what one owner's phone can make a relay hold. */
export interface LookbackLimits {
  maxMessagesPerOwner: number;
  maxBytesPerOwner: number;
}

export const DEFAULT_LOOKBACK_LIMITS: LookbackLimits = {
  maxMessagesPerOwner: 50,
  maxBytesPerOwner: 64 * 1024,
};

const sizeOf = (message: IncomingMessage) =>
  (message.from.length + (message.text?.length ?? 0) + (message.subject?.length ?? 0)) * 2;

/**
 * Messages that arrived a moment before the request they answer: held in memory (never on
 * disk, never logged) for the look-back window and offered to requests created meanwhile,
 * as the mailbox connectors look back over mail. Per owner it keeps at most a count and a
 * number of bytes, evicting the oldest first. Per instance: a message held here is offered
 * only to requests whose creation this instance hears of (all of them, through the event
 * bus) but a restart forgets it.
 */
export class LookbackBuffer {
  private readonly byOwner = new Map<string, HeldSms[]>();

  constructor(private readonly limits: LookbackLimits = DEFAULT_LOOKBACK_LIMITS) {}

  /** Holds a message; the oldest of its owner's go first when the owner is over a limit. */
  hold(source: AuthenticatedSource, message: IncomingMessage, nowMs: number): void {
    const held = this.byOwner.get(source.ownerId) ?? [];
    const bytes = sizeOf(message);
    if (bytes > this.limits.maxBytesPerOwner) return;
    held.push({ source, message, arrivedAtMs: nowMs, bytes });
    let total = held.reduce((sum, entry) => sum + entry.bytes, 0);
    while (held.length > this.limits.maxMessagesPerOwner || total > this.limits.maxBytesPerOwner) {
      total -= held.shift()?.bytes ?? 0;
    }
    this.byOwner.set(source.ownerId, held);
  }

  /**
   * Takes every message of an owner that arrived within `windowMs` of now (the rest are
   * dropped); the caller puts back, with {@link LookbackBuffer.putBack}, those that served nothing.
   */
  take(ownerId: string, nowMs: number, windowMs: number): HeldSms[] {
    const held = this.byOwner.get(ownerId);
    if (!held) return [];
    this.byOwner.delete(ownerId);
    return held.filter((entry) => nowMs - entry.arrivedAtMs <= windowMs);
  }

  /** Returns messages that are still waiting for their request. */
  putBack(entries: HeldSms[]): void {
    for (const entry of entries) {
      const held = this.byOwner.get(entry.source.ownerId) ?? [];
      held.push(entry);
      held.sort((a, b) => a.arrivedAtMs - b.arrivedAtMs);
      this.byOwner.set(entry.source.ownerId, held);
    }
  }

  /** Drops whatever has outlived the window (run on a timer, so nothing lingers). */
  expire(nowMs: number, windowMs: number): void {
    for (const [ownerId, held] of this.byOwner) {
      const fresh = held.filter((entry) => nowMs - entry.arrivedAtMs <= windowMs);
      if (fresh.length === 0) this.byOwner.delete(ownerId);
      else this.byOwner.set(ownerId, fresh);
    }
  }

  /** How many messages are held, for tests and metrics (never what they say). */
  get count(): number {
    let count = 0;
    for (const held of this.byOwner.values()) count += held.length;
    return count;
  }
}
