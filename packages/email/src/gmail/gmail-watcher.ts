import { Backoff, sleep } from '../backoff.js';
import { type CaptureOutcome, MailCapture } from '../capture/mail-capture.js';
import type { MailLogger, MailRef } from '../capture/mail-types.js';
import { storableMail } from '../capture/storable-mail.js';
import { watchNewRequests } from '../capture/watch-new-requests.js';
import type { RelayPort } from '../relay/relay-port.js';
import type { CursorStore } from '../state/cursor-store.js';
import { type GmailApi, GmailNotFoundError } from './gmail-api.js';
import { gmailReader } from './gmail-reader.js';
import { GoogleAuthError } from './google-oauth.js';

export type GmailStatus =
  | { state: 'watching'; historyId: string }
  | { state: 'resynced'; historyId: string }
  | { state: 'failing'; error: string; permanent: boolean; retryInMs: number };

export interface GmailWatcherOptions {
  api: GmailApi;
  relay: RelayPort;
  cursors: CursorStore;
  lookbackSeconds: number;
  /** Gmail has no IDLE; push needs Cloud Pub/Sub. history.list is cheap, so poll it often. */
  pollSeconds: number;
  logger: MailLogger;
  onOutcome?: (outcome: CaptureOutcome) => void;
  onStatus?: (status: GmailStatus) => void;
}

/**
 * Watches a Gmail inbox through the Gmail API: starts from the profile's history id (and looks
 * back a few minutes), then polls `users.history.list` for `messageAdded` in INBOX, following
 * every page. A 404 (the history id is too old) triggers a full resync from
 * `users.messages.list`. New messages go to the capture pipeline, which reads metadata first
 * and the raw message only for a possible match.
 *
 * @example
 * const watcher = new GmailWatcher({ api, relay, cursors, lookbackSeconds: 120, pollSeconds: 3, logger });
 * watcher.start();
 */
export class GmailWatcher {
  readonly #options: GmailWatcherOptions;
  readonly #capture: MailCapture;
  readonly #stop = new AbortController();
  readonly #backoff = new Backoff(1000, 60_000);
  #account: string | undefined;
  #historyId: string | undefined;
  #running: Promise<void> | undefined;
  #failing = false;

  constructor(options: GmailWatcherOptions) {
    this.#options = options;
    this.#capture = new MailCapture({
      relay: options.relay,
      reader: storableMail(gmailReader(options.api), options.logger),
      lookbackSeconds: options.lookbackSeconds,
      logger: options.logger,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    });
  }

  start(): void {
    this.#running ??= Promise.all([
      this.#pollLoop(),
      watchNewRequests(this.#options.relay, this.#capture, this.#options.logger, this.#stop.signal),
    ]).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #pollLoop(): Promise<void> {
    const { pollSeconds } = this.#options;
    while (!this.#stop.signal.aborted) {
      try {
        if (this.#historyId === undefined) await this.#begin();
        else {
          await this.#poll();
          // Recovered from a failure: say so, or a health display would stay on "failing".
          if (this.#failing && this.#historyId !== undefined)
            this.#options.onStatus?.({ state: 'watching', historyId: this.#historyId });
        }
        this.#failing = false;
        this.#backoff.reset();
        await sleep(pollSeconds * 1000, this.#stop.signal);
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        if (error instanceof GmailNotFoundError && this.#historyId !== undefined) {
          await this.#resync().catch((failure: unknown) => this.#failed(failure));
          continue;
        }
        await this.#failed(error);
      }
    }
  }

  async #failed(error: unknown): Promise<void> {
    const permanent = error instanceof GoogleAuthError && error.permanent;
    this.#failing = true;
    const retryInMs = this.#backoff.next();
    const message = (error as Error).message;
    this.#options.logger[permanent ? 'error' : 'warn'](
      { err: { message }, retryInMs },
      'Gmail watcher failing',
    );
    this.#options.onStatus?.({ state: 'failing', error: message, permanent, retryInMs });
    await sleep(retryInMs, this.#stop.signal);
  }

  /** First contact: where history starts, plus the look-back window. */
  async #begin(): Promise<void> {
    const profile = await this.#options.api.profile();
    this.#account = `gmail:${profile.emailAddress ?? 'me'}`;
    const saved = await this.#options.cursors.load(this.#account);
    const since = new Date(Date.now() - this.#options.lookbackSeconds * 1000);
    await this.#capture.handle(await this.#listSince(since));
    this.#historyId = typeof saved?.historyId === 'string' ? saved.historyId : profile.historyId;
    await this.#save();
    this.#options.onStatus?.({ state: 'watching', historyId: this.#historyId });
    // A saved position may be behind: read what came since (a 404 there means resync).
    if (saved) await this.#poll();
  }

  async #poll(): Promise<void> {
    const start = this.#historyId;
    if (start === undefined) return;
    const ids: string[] = [];
    let latest = start;
    let pageToken: string | undefined;
    do {
      const page = await this.#options.api.history(start, pageToken);
      for (const record of page.history ?? [])
        for (const added of record.messagesAdded ?? []) {
          const labels = added.message.labelIds;
          if (!labels || labels.includes('INBOX')) ids.push(added.message.id);
        }
      latest = page.historyId;
      pageToken = page.nextPageToken;
    } while (pageToken && !this.#stop.signal.aborted);
    const refs: MailRef[] = [...new Set(ids)].map((id) => ({ id }));
    await this.#capture.handle(refs);
    this.#historyId = latest;
    if (latest !== start) await this.#save();
  }

  /** The history id was too old: start over from now, reading the look-back window again. */
  async #resync(): Promise<void> {
    const profile = await this.#options.api.profile();
    const since = new Date(Date.now() - this.#options.lookbackSeconds * 1000);
    const refs = await this.#listSince(since);
    await this.#capture.handle(refs);
    this.#historyId = profile.historyId;
    await this.#save();
    this.#options.logger.info({ messages: refs.length }, 'Gmail history expired; resynced from the inbox');
    this.#options.onStatus?.({ state: 'resynced', historyId: profile.historyId });
  }

  /** Inbox messages since `since`, oldest first (the list comes newest first). */
  async #listSince(since: Date): Promise<MailRef[]> {
    const refs: MailRef[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#options.api.listInboxSince(since, pageToken);
      for (const message of page.messages ?? []) refs.push({ id: message.id });
      pageToken = page.nextPageToken;
    } while (pageToken && refs.length < 1_000 && !this.#stop.signal.aborted);
    return refs.reverse();
  }

  async #save(): Promise<void> {
    if (!this.#account || this.#historyId === undefined) return;
    try {
      await this.#options.cursors.save(this.#account, { historyId: this.#historyId });
    } catch (error) {
      this.#options.logger.warn(
        { err: { message: (error as Error).message } },
        'could not save the Gmail position',
      );
    }
  }
}
