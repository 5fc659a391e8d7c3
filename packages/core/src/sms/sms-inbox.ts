import { type CaptureSourceRow, recordCaptureSourceError, recordCaptureSourceMessage } from '@agent-otp/db';
import type { CaptureMessageResponse } from '@agent-otp/shared';
import { type CaptureSkipListener, captureMessage } from '../capture/capture-message.js';
import type { CoreContext } from '../context.js';
import { ALL_REQUESTS_TOPIC, type Unsubscribe } from '../events/event-bus.js';
import type { IncomingMessage } from '../matching/match-message.js';
import type { AuthenticatedSource } from '../sources/sources.js';
import { DEFAULT_LOOKBACK_LIMITS, LookbackBuffer, type LookbackLimits } from './lookback-buffer.js';
import { SeenMessages } from './seen-messages.js';

/** One SMS as a provider's webhook delivered it, after its signature was checked. */
export interface InboundSms {
  from: string;
  text: string;
  /** The provider's id for this message or delivery: a retry carries the same one. */
  dedupeId?: string | undefined;
}

/** What became of an inbound SMS. */
export type SmsReceipt =
  | { outcome: 'duplicate' }
  | { outcome: 'captured'; result: CaptureMessageResponse }
  /** Served nothing yet: held in memory for requests created within the look-back window. */
  | { outcome: 'held'; result: CaptureMessageResponse };

/**
 * How long ids are remembered: SMS Gateway retries one event for about two days, and a
 * Twilio request carries no timestamp to bound its replay. Bounded in count (oldest first),
 * ids only, so at most a few megabytes.
 */
const SEEN_TTL_MS = 48 * 60 * 60 * 1000;
const SEEN_MAX = 50_000;
const EXPIRY_SWEEP_MS = 5_000;

export interface SmsInboxOptions {
  lookbackLimits?: LookbackLimits;
  onSkip?: CaptureSkipListener;
  /** Told when a held message could not be offered (database down); never content. */
  onError?: (error: unknown) => void;
}

/** The SMS source behind a verified webhook. */
export function smsSourceOf(row: CaptureSourceRow): AuthenticatedSource {
  return { sourceId: row.id, ownerId: row.owner_id, kind: row.kind, name: row.name };
}

/**
 * Where every verified SMS webhook hands its message: captured once per provider id
 * (retries and replays inside the signature window are answered without capturing again),
 * counted on the source, and, when it serves no open request yet, held in memory for the
 * look-back window and offered to each request created meanwhile. One per process.
 */
export class SmsInbox {
  private readonly seen = new SeenMessages(SEEN_TTL_MS, SEEN_MAX);
  private readonly buffer: LookbackBuffer;
  private unsubscribe: Unsubscribe | undefined;
  private sweep: NodeJS.Timeout | undefined;
  /** Owners whose held messages are being offered; one pass at a time per owner. */
  private readonly offering = new Map<string, Promise<void>>();
  /** Requests created per owner since start: tells a capture that a request appeared while it ran. */
  private readonly created = new Map<string, number>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SmsInboxOptions = {},
  ) {
    this.buffer = new LookbackBuffer(options.lookbackLimits ?? DEFAULT_LOOKBACK_LIMITS);
  }

  private get windowMs(): number {
    return this.ctx.lookbackSeconds * 1000;
  }

  private nowMs(): number {
    return this.ctx.clock.now().getTime();
  }

  /** Starts offering held messages to new requests. */
  start(): void {
    this.unsubscribe ??= this.ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
      if (event.type !== 'created' || event.kind !== 'otp') return;
      this.created.set(event.ownerId, (this.created.get(event.ownerId) ?? 0) + 1);
      void this.offerHeld(event.ownerId);
    });
    this.sweep ??= setInterval(() => this.buffer.expire(this.nowMs(), this.windowMs), EXPIRY_SWEEP_MS);
    this.sweep.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
  }

  /** Messages held for the look-back, for tests (a count, never content). */
  get heldCount(): number {
    return this.buffer.count;
  }

  /**
   * Takes one verified SMS: captures it, or holds it for the look-back window.
   *
   * @example
   * const receipt = await inbox.receive(source, { from: '+15551234', text, dedupeId: event.id });
   */
  async receive(source: AuthenticatedSource, sms: InboundSms): Promise<SmsReceipt> {
    const seenKey = sms.dedupeId === undefined ? undefined : `${source.sourceId}\n${sms.dedupeId}`;
    if (seenKey !== undefined && !this.seen.claim(seenKey, Date.now())) return { outcome: 'duplicate' };
    const message: IncomingMessage = {
      source: 'sms',
      from: sms.from,
      text: sms.text,
      receivedAt: this.ctx.clock.now(),
    };
    const createdBefore = this.created.get(source.ownerId) ?? 0;
    let result: CaptureMessageResponse;
    try {
      result = await captureMessage(this.ctx, source, message, { onSkip: this.options.onSkip });
    } catch (error) {
      // Not taken: the provider's retry must be.
      if (seenKey !== undefined) this.seen.release(seenKey);
      throw error;
    }
    const now = message.receivedAt.toISOString();
    await recordCaptureSourceMessage(this.ctx.database.db, source.sourceId, now);
    if (result.matched) return { outcome: 'captured', result };
    if (result.reason === 'no_code_found') {
      await recordCaptureSourceError(
        this.ctx.database.db,
        source.sourceId,
        'no clear code in the message',
        now,
      );
      return { outcome: 'captured', result };
    }
    if (this.windowMs > 0) {
      this.buffer.hold(source, message, this.nowMs());
      // A request created while this message was being routed was offered the buffer before
      // the message was in it: offer again.
      if ((this.created.get(source.ownerId) ?? 0) !== createdBefore) void this.offerHeld(source.ownerId);
    }
    await recordCaptureSourceError(
      this.ctx.database.db,
      source.sourceId,
      `no matching request (held in memory for ${this.ctx.lookbackSeconds} s)`,
      now,
    );
    return { outcome: 'held', result };
  }

  /** Records a refusal (bad signature, stale) on the source; `error` never holds content. */
  async refused(sourceId: string, error: string): Promise<void> {
    await recordCaptureSourceError(this.ctx.database.db, sourceId, error, this.ctx.clock.now().toISOString());
  }

  /** Offers an owner's held messages to its open requests; those that serve nothing stay held. */
  offerHeld(ownerId: string): Promise<void> {
    const previous = this.offering.get(ownerId) ?? Promise.resolve();
    const next = previous.then(() => this.offerOnce(ownerId));
    const tracked = next.finally(() => {
      if (this.offering.get(ownerId) === tracked) this.offering.delete(ownerId);
    });
    this.offering.set(ownerId, tracked);
    return tracked;
  }

  private async offerOnce(ownerId: string): Promise<void> {
    const held = this.buffer.take(ownerId, this.nowMs(), this.windowMs);
    const waiting = [];
    for (const entry of held) {
      try {
        const result = await captureMessage(this.ctx, entry.source, entry.message, {
          onSkip: this.options.onSkip,
        });
        if (!result.matched && result.reason === 'no_matching_request') waiting.push(entry);
      } catch (error) {
        waiting.push(entry);
        this.options.onError?.(error);
      }
    }
    this.buffer.putBack(waiting);
  }
}
