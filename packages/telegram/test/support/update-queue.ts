import { BotApiError, conflict } from './api-error.js';
import type { NewUpdate, Update } from './bot-api-types.js';

// Telegram's pending-update queue and `getUpdates` long polling. Updates stay queued until
// a later call confirms them with a higher `offset`; a call that finds nothing waits up to
// `timeout` seconds; a newer call terminates an older held one with 409, as Telegram does.

const FIRST_UPDATE_ID = 700_000_001;
const MAX_POLL_TIMEOUT_SECONDS = 50;

// Telegram leaves these out unless they are asked for explicitly.
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface PollRequest {
  offset?: number;
  limit: number;
  timeoutSeconds: number;
  allowedUpdates?: string[];
}

interface HeldPoll {
  request: PollRequest;
  finish: (result: Update[] | BotApiError) => void;
}

export const updateType = (update: Update): string =>
  Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';

export class UpdateQueue {
  private pending: Update[] = [];
  private nextId = FIRST_UPDATE_ID;
  private held: HeldPoll[] = [];
  /** Persisted like Telegram does: the last value given to getUpdates or setWebhook. */
  allowedUpdates: string[] | undefined;

  get pendingCount(): number {
    return this.pending.length;
  }

  push(update: NewUpdate): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextId } as Update;
    this.nextId = Math.max(this.nextId, full.update_id + 1);
    this.pending.push(full);
    for (const poll of this.held.splice(0)) this.answer(poll);
    return full;
  }

  /** Removes an update that was delivered elsewhere (a webhook answered 2xx). */
  remove(updateId: number): void {
    this.pending = this.pending.filter((u) => u.update_id !== updateId);
  }

  dropPending(): void {
    this.pending = [];
  }

  /** Answers now if updates are ready or no waiting was asked for; otherwise holds. */
  poll(request: PollRequest, onClientGone: (cancel: () => void) => void): Promise<Update[]> {
    this.terminateHeld(
      conflict('terminated by other getUpdates request; make sure that only one bot instance is running'),
    );
    if (request.allowedUpdates !== undefined) this.allowedUpdates = request.allowedUpdates;
    this.confirm(request.offset);
    const ready = this.take(request);
    if (ready.length > 0 || request.timeoutSeconds <= 0) return Promise.resolve(ready);

    return new Promise<Update[]>((resolve, reject) => {
      const seconds = Math.min(request.timeoutSeconds, MAX_POLL_TIMEOUT_SECONDS);
      const poll: HeldPoll = {
        request,
        finish: (result) => {
          clearTimeout(timer);
          this.held = this.held.filter((p) => p !== poll);
          if (result instanceof BotApiError) reject(result);
          else resolve(result);
        },
      };
      const timer = setTimeout(() => poll.finish([]), seconds * 1000);
      this.held.push(poll);
      onClientGone(() => poll.finish([]));
    });
  }

  /** Answers every held poll with `error`, or with what is ready (usually `[]`). */
  terminateHeld(error?: BotApiError): void {
    for (const poll of this.held.splice(0)) {
      if (error) poll.finish(error);
      else poll.finish(this.take(poll.request));
    }
  }

  private answer(poll: HeldPoll): void {
    const ready = this.take(poll.request);
    if (ready.length > 0) poll.finish(ready);
    else this.held.push(poll);
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.pending = this.pending.slice(offset);
      return;
    }
    this.pending = this.pending.filter((u) => u.update_id >= offset);
  }

  private take(request: PollRequest): Update[] {
    const allowed = this.allowedUpdates;
    const wanted = (u: Update) => {
      const type = updateType(u);
      return allowed && allowed.length > 0 ? allowed.includes(type) : !OPT_IN_UPDATES.has(type);
    };
    // Telegram never creates updates of types the bot did not allow, so they are dropped.
    this.pending = this.pending.filter(wanted);
    return this.pending.slice(0, request.limit);
  }
}
