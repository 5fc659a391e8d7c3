import type { GmailStatus, ImapStatus } from '@agent-otp/email';
import type { TelegramBot } from '@agent-otp/telegram';

/** The connectors the relay can run in-process. */
export type ConnectorName = 'imap' | 'gmail' | 'telegram';

/**
 * Where a connector stands: `starting` until it first connects, `ready` while it serves,
 * `failing` while it retries after an outage, `stopped` when it gave up for good.
 */
export type ConnectorState = 'starting' | 'ready' | 'failing' | 'stopped';

export const CONNECTOR_STATES: readonly ConnectorState[] = ['starting', 'ready', 'failing', 'stopped'];

/**
 * The live state of each configured connector, fed by their status callbacks, for
 * `/readyz` and `/metrics`. A connector that is not configured is absent.
 *
 * @example
 * const connectors = new ConnectorStates();
 * connectors.set('imap', 'ready');
 * connectors.notReady(); // []
 */
export class ConnectorStates {
  readonly #states = new Map<ConnectorName, ConnectorState>();

  set(name: ConnectorName, state: ConnectorState): void {
    this.#states.set(name, state);
  }

  /** A connector that was just started and has not reported yet. */
  started(name: ConnectorName): void {
    if (!this.#states.has(name)) this.#states.set(name, 'starting');
  }

  /** Every configured connector and its state. */
  all(): ReadonlyMap<ConnectorName, ConnectorState> {
    return this.#states;
  }

  /** The configured connectors that are not serving right now. */
  notReady(): { name: ConnectorName; state: ConnectorState }[] {
    return [...this.#states]
      .filter(([, state]) => state !== 'ready')
      .map(([name, state]) => ({ name, state }));
  }

  /** IMAP watcher callbacks: connected, or disconnected and retrying. */
  imapStatus(status: ImapStatus): void {
    this.set('imap', status.state === 'connected' ? 'ready' : 'failing');
  }

  /** Gmail watcher callbacks: watching (or resynced), or failing; a permanent failure stops it. */
  gmailStatus(status: GmailStatus): void {
    if (status.state !== 'failing') this.set('gmail', 'ready');
    else this.set('gmail', status.permanent ? 'stopped' : 'failing');
  }

  /** The Telegram bot is ready once updates flow; it rejects `ready` only when it gave up. */
  watchTelegram(bot: TelegramBot): void {
    this.started('telegram');
    bot.ready.then(
      () => this.set('telegram', 'ready'),
      () => this.set('telegram', 'stopped'),
    );
  }
}
