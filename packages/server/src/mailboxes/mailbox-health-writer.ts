import type { CoreContext } from '@agent-otp/core';
import { type MailboxHealthUpdate, type MailboxState, writeMailboxHealth } from '@agent-otp/db';
import type { GmailStatus, ImapStatus } from '@agent-otp/email';
import type { Logger } from '../logger.js';

/** Reconnecting for longer than this (or a refused login at once) counts as failing. */
export const MAILBOX_FAILING_AFTER_MS = 120_000;
/** A stream of messages writes "last message seen" at most this often. */
const MESSAGE_WRITE_INTERVAL_MS = 5_000;

/** What the health writer tells listeners after each write (the hook for failing-mailbox notices). */
export interface MailboxHealthChange {
  mailboxId: string;
  ownerId: string;
  name: string;
  health: MailboxHealthUpdate;
}

export interface MailboxHealthWriterOptions {
  ctx: CoreContext;
  logger: Logger;
  /** The instance id holding the lease: a writer whose instance lost the lease writes nothing. */
  holder: string;
  mailbox: { id: string; ownerId: string; name: string };
  /** Called after each write; notices (Telegram, dashboard) hang here. Must not throw. */
  onChange?: ((change: MailboxHealthChange) => void) | undefined;
}

/**
 * Turns one running mailbox's watcher callbacks into its health columns: `idle` once
 * connected, `reconnecting` after a drop, `failing` when the server refuses the login or
 * reconnecting has lasted {@link MAILBOX_FAILING_AFTER_MS}. State changes are written at once;
 * "last message seen" at most every few seconds. Errors are words from the watcher (it
 * never puts the password or the server's free text in them).
 *
 * @example
 * const health = new MailboxHealthWriter({ ctx, logger, holder, mailbox });
 * watcher = new ImapWatcher({ ..., onStatus: (s) => health.imapStatus(s), onOutcome: () => health.messageSeen() });
 */
export class MailboxHealthWriter {
  readonly #options: MailboxHealthWriterOptions;
  #health: MailboxHealthUpdate;
  #disconnectedSince: number | undefined;
  #lastMessageWrite = 0;
  #pendingMessageWrite: NodeJS.Timeout | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: MailboxHealthWriterOptions) {
    this.#options = options;
    const now = this.#now();
    this.#health = {
      state: 'connecting',
      state_since: now,
      last_error: null,
      last_message_at: null,
      reconnect_attempts: 0,
      health_updated_at: now,
    };
  }

  /** The first write, when the connector starts; keeps a stored "last message seen". */
  starting(lastMessageAt: string | null): Promise<void> {
    this.#health.last_message_at = lastMessageAt;
    return this.#write();
  }

  /** IMAP watcher callback. */
  imapStatus(status: ImapStatus): void {
    if (status.state === 'connected') this.#connected();
    // A refused login, or a host refused as private (the email package's PRIVATE_ADDRESS_CODE,
    // spelled out so this module does not load the mail packages): retrying will not help.
    else this.#disconnected(status.error, status.code === 'AUTH' || status.code === 'PRIVATE_ADDRESS');
  }

  /** Gmail watcher callback: a refused grant (access revoked) fails at once, like a refused IMAP login. */
  gmailStatus(status: GmailStatus): void {
    if (status.state === 'failing') this.#disconnected(status.error, status.permanent);
    else this.#connected();
  }

  #connected(): void {
    this.#disconnectedSince = undefined;
    this.#health.reconnect_attempts = 0;
    this.#health.last_error = null;
    this.#setState('idle');
    void this.#write();
  }

  #disconnected(error: string, refused: boolean): void {
    this.#disconnectedSince ??= Date.now();
    this.#health.reconnect_attempts += 1;
    this.#health.last_error = error;
    const long = Date.now() - this.#disconnectedSince >= MAILBOX_FAILING_AFTER_MS;
    this.#setState(refused || long ? 'failing' : 'reconnecting');
    void this.#write();
  }

  /** A credential the key cannot open: the owner must enter the password again. */
  cannotOpenCredential(): Promise<void> {
    this.#health.last_error =
      'its password does not open with this relay’s credential key (CREDENTIAL_KEY): enter the password again';
    this.#setState('failing');
    return this.#write();
  }

  /** The watcher handled a message (any outcome): "last message seen". */
  messageSeen(): void {
    this.#health.last_message_at = this.#now();
    const wait = this.#lastMessageWrite + MESSAGE_WRITE_INTERVAL_MS - Date.now();
    if (wait <= 0) void this.#write();
    else this.#pendingMessageWrite ??= setTimeout(() => void this.#write(), wait).unref();
  }

  /** The connector stopped on this instance (removal, edit, shutdown): writes are over. */
  async stop(state?: MailboxState): Promise<void> {
    clearTimeout(this.#pendingMessageWrite);
    this.#pendingMessageWrite = undefined;
    if (state) {
      this.#setState(state);
      await this.#write();
    }
    await this.#writes;
  }

  #setState(state: MailboxState): void {
    if (this.#health.state !== state) {
      this.#health.state = state;
      this.#health.state_since = this.#now();
    }
  }

  #now(): string {
    return this.#options.ctx.clock.now().toISOString();
  }

  #write(): Promise<void> {
    clearTimeout(this.#pendingMessageWrite);
    this.#pendingMessageWrite = undefined;
    this.#lastMessageWrite = Date.now();
    const { ctx, holder, mailbox, logger, onChange } = this.#options;
    const health = { ...this.#health, health_updated_at: this.#now() };
    // Serialised so an older state never lands after a newer one.
    this.#writes = this.#writes.then(async () => {
      try {
        await writeMailboxHealth(ctx.database.db, mailbox.id, holder, health);
        onChange?.({ mailboxId: mailbox.id, ownerId: mailbox.ownerId, name: mailbox.name, health });
      } catch (error) {
        logger.warn(
          { mailboxId: mailbox.id, err: { message: (error as Error).message } },
          'mailbox health could not be written',
        );
      }
    });
    return this.#writes;
  }
}
