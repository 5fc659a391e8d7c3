import type { ImapSettings } from '@agent-otp/shared';
import { ImapFlow } from 'imapflow';
import { Backoff, sleep } from '../backoff.js';
import { type CaptureOutcome, MailCapture } from '../capture/mail-capture.js';
import type { MailLogger, MailRef } from '../capture/mail-types.js';
import { storableMail } from '../capture/storable-mail.js';
import { watchNewRequests } from '../capture/watch-new-requests.js';
import type { RelayPort } from '../relay/relay-port.js';
import type { CursorStore } from '../state/cursor-store.js';
import { imapReader, listArrivals } from './imap-reader.js';
import { imapAccount, imapFlowOptions } from './imap-settings.js';

/** What the watcher is doing, for logs, tests and benchmarks. Error texts name no secret. */
export type ImapStatus =
  | { state: 'connected'; uidValidity: string }
  | { state: 'disconnected'; error: string; code: string | undefined; retryInMs: number };

export interface ImapWatcherOptions {
  settings: ImapSettings;
  relay: RelayPort;
  cursors: CursorStore;
  lookbackSeconds: number;
  logger: MailLogger;
  onOutcome?: (outcome: CaptureOutcome) => void;
  onStatus?: (status: ImapStatus) => void;
  /**
   * Called before every connection for the address to connect to; throwing refuses the
   * connection (an owner's mailbox whose host now resolves to a private address: the check
   * runs on each reconnect, so a DNS answer changed after saving is caught too).
   */
  resolveAddress?: ((host: string) => Promise<string>) | undefined;
}

interface Position {
  uidValidity: string;
  lastUid: number;
}

/** What an IMAP failure says, without the server's free text (which may echo a login name). */
function describeFailure(error: unknown): { error: string; code: string | undefined } {
  const e = error as { code?: string; authenticationFailed?: boolean; message?: string };
  if (e.authenticationFailed)
    return { error: 'IMAP login failed (check the user and password)', code: 'AUTH' };
  return { error: e.message ?? String(error), code: e.code };
}

/**
 * Watches one IMAP mailbox: opens it read-only, enters IDLE at once, fetches new UIDs when the
 * server announces mail, and hands them to the capture pipeline. A dropped or silent
 * connection is replaced with exponential back-off; the last UID and UIDVALIDITY carry over,
 * so mail that arrived meanwhile is read after the reconnect (a new UIDVALIDITY falls back to
 * the look-back window).
 *
 * @example
 * const watcher = new ImapWatcher({ settings, relay, cursors: memoryCursorStore(), lookbackSeconds: 120, logger });
 * watcher.start();
 * await watcher.stop();
 */
export class ImapWatcher {
  readonly #options: ImapWatcherOptions;
  readonly #capture: MailCapture;
  readonly #backoff = new Backoff();
  readonly #stop = new AbortController();
  readonly #account: string;
  #client: ImapFlow | undefined;
  #position: Position | undefined;
  #running: Promise<void> | undefined;

  constructor(options: ImapWatcherOptions) {
    this.#options = options;
    this.#account = imapAccount(options.settings);
    this.#capture = new MailCapture({
      relay: options.relay,
      reader: storableMail(
        imapReader(() => this.#client, options.settings.mailbox),
        options.logger,
      ),
      lookbackSeconds: options.lookbackSeconds,
      logger: options.logger,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    });
  }

  start(): void {
    this.#running ??= Promise.all([
      this.#connectLoop(),
      watchNewRequests(this.#options.relay, this.#capture, this.#options.logger, this.#stop.signal),
    ]).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    const client = this.#client;
    if (client?.usable) await Promise.race([client.logout().catch(() => undefined), sleep(2000)]);
    client?.close();
    await this.#running;
  }

  async #connectLoop(): Promise<void> {
    const { logger, onStatus } = this.#options;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#session();
        if (this.#stop.signal.aborted) return;
        throw new Error('IMAP connection closed');
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        const failure = describeFailure(error);
        const retryInMs = this.#backoff.next();
        logger.warn({ err: failure, retryInMs }, 'IMAP connection lost; reconnecting');
        onStatus?.({ state: 'disconnected', ...failure, retryInMs });
        await sleep(retryInMs, this.#stop.signal);
      }
    }
  }

  /** One connection, from login until it closes. */
  async #session(): Promise<void> {
    const { settings, logger, onStatus, resolveAddress } = this.#options;
    const address = resolveAddress ? await resolveAddress(settings.host) : undefined;
    const client = new ImapFlow(imapFlowOptions(settings, address));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    let lastError: unknown;
    // Without a listener an 'error' event would crash the process.
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    this.#client = client;
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(settings.mailbox, { readOnly: true });
      const position = await this.#resume(client, String(mailbox.uidValidity), mailbox.uidNext);
      this.#backoff.reset();
      onStatus?.({ state: 'connected', uidValidity: position.uidValidity });
      logger.info({ mailbox: settings.mailbox }, 'IMAP mailbox open (read-only); waiting for mail');

      let pulling: Promise<void> | undefined;
      let again = false;
      const pull = () => {
        if (pulling) {
          again = true;
          return;
        }
        pulling = (async () => {
          do {
            again = false;
            await this.#pullNew(client, position);
          } while (again && client.usable);
        })()
          .catch((error: unknown) => logger.warn({ err: describeFailure(error) }, 'could not read new mail'))
          .finally(() => {
            pulling = undefined;
          });
      };
      client.on('exists', pull);
      // Mail that landed between the catch-up and the 'exists' listener is not missed.
      pull();
      await Promise.race([
        closed,
        new Promise((resolve) => this.#stop.signal.addEventListener('abort', resolve)),
      ]);
      if (lastError && !this.#stop.signal.aborted) throw lastError;
    } finally {
      client.removeAllListeners('exists');
      if (this.#client === client) this.#client = undefined;
      client.close();
    }
  }

  /**
   * Where to start on this connection: after the last UID seen when UIDVALIDITY is unchanged,
   * else (first start, or the server renumbered the mailbox) the look-back window by date.
   */
  async #resume(client: ImapFlow, uidValidity: string, uidNext: number): Promise<Position> {
    const saved = this.#position ?? (await this.#loadPosition());
    let refs: MailRef[];
    let position: Position;
    if (saved && saved.uidValidity === uidValidity) {
      position = { ...saved };
      refs = await listArrivals(client, `${saved.lastUid + 1}:*`, saved.lastUid);
    } else {
      if (saved) this.#capture.reset();
      position = { uidValidity, lastUid: Math.max(0, uidNext - 1) };
      refs = await this.#lookBack(client);
    }
    this.#position = position;
    for (const ref of refs) position.lastUid = Math.max(position.lastUid, Number(ref.id));
    await this.#capture.handle(refs);
    if (this.#capture.retryNeeded) await this.#capture.rescan();
    await this.#savePosition(position);
    return position;
  }

  /** Mail of the last few minutes: SEARCH SINCE is by day, so the time filter is ours. */
  async #lookBack(client: ImapFlow): Promise<MailRef[]> {
    const floor = new Date(Date.now() - this.#options.lookbackSeconds * 1000);
    const uids = await client.search({ since: floor }, { uid: true });
    if (!uids || uids.length === 0) return [];
    const arrivals = await listArrivals(client, uids.join(','), 0);
    return arrivals.filter((arrival) => !arrival.receivedAt || arrival.receivedAt >= floor);
  }

  async #pullNew(client: ImapFlow, position: Position): Promise<void> {
    if (!client.usable) return;
    const refs = await listArrivals(client, `${position.lastUid + 1}:*`, position.lastUid);
    if (refs.length === 0) return;
    for (const ref of refs) position.lastUid = Math.max(position.lastUid, ref.uid);
    await this.#capture.handle(refs);
    await this.#savePosition(position);
  }

  async #loadPosition(): Promise<Position | undefined> {
    const cursor = await this.#options.cursors.load(this.#account);
    if (!cursor || typeof cursor.uidValidity !== 'string' || typeof cursor.lastUid !== 'number')
      return undefined;
    return { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid };
  }

  async #savePosition(position: Position): Promise<void> {
    try {
      await this.#options.cursors.save(this.#account, { ...position });
    } catch (error) {
      // Memory still has it; only a restart would fall back to the look-back.
      this.#options.logger.warn(
        { err: { message: (error as Error).message } },
        'could not save the IMAP position',
      );
    }
  }
}
