import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError } from '@agent-otp/config';
import { type CoreContext, mailboxCredentialBinding } from '@agent-otp/core';
import {
  listLiveMailboxes,
  type MailboxRow,
  releaseMailboxLease,
  SecretBoxError,
  takeMailboxLease,
} from '@agent-otp/db';
import type { Logger } from '../logger.js';
import type { GmailMailboxClient } from './gmail-connect.js';
import { type RunningMailbox, startMailboxConnector } from './mailbox-connector.js';
import { type MailboxHealthChange, MailboxHealthWriter } from './mailbox-health-writer.js';

/** A lease lasts this long unless renewed; another instance takes the mailbox after it runs out. */
export const MAILBOX_LEASE_MS = 15_000;
/** The holder renews its leases this often (three chances before one runs out). */
export const MAILBOX_LEASE_RENEW_MS = 5_000;
/** Every instance re-reads the mailboxes this often (other instances' changes, expired leases). */
export const MAILBOX_RELIST_MS = 2_000;

export interface MailboxSupervisorOptions {
  ctx: CoreContext;
  logger: Logger;
  lookbackSeconds: number;
  /** Names this process in leases and in the API's `runningOn`; random per process by default. */
  instanceId?: string | undefined;
  leaseMs?: number | undefined;
  renewMs?: number | undefined;
  relistMs?: number | undefined;
  /** The operator's Google OAuth client, for Gmail mailboxes connected from the dashboard. */
  gmail?: GmailMailboxClient | undefined;
  /** Every health write of every mailbox this instance runs: the hook for failing-mailbox notices. */
  onHealthChange?: ((change: MailboxHealthChange) => void) | undefined;
}

interface Running {
  updatedAt: string;
  renewedAt: number;
  health: MailboxHealthWriter;
  /** Undefined when the connector could not start (a credential the key cannot open). */
  connector: RunningMailbox | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Runs the connectors of the mailboxes owners connected, on every relay instance: each
 * instance takes a lease per mailbox in the database (one conditional UPDATE, so exactly one
 * instance runs each), renews it every {@link MAILBOX_LEASE_RENEW_MS}, and takes over a
 * mailbox whose holder stopped renewing once its {@link MAILBOX_LEASE_MS} lease ran out; a
 * mailbox is re-read every {@link MAILBOX_RELIST_MS}, so the takeover happens within
 * lease + relist + connect time (≤ 20 s documented). An added, edited or removed mailbox is
 * started, restarted or stopped at the next look; `poke()` (the API on this instance)
 * makes that look happen at once. Leases are released on a graceful stop.
 *
 * @example
 * const supervisor = new MailboxSupervisor({ ctx, logger, lookbackSeconds: 120 });
 * await supervisor.start();
 * supervisor.poke(); // after a change through this instance's API
 * await supervisor.stop();
 */
export class MailboxSupervisor {
  readonly instanceId: string;
  readonly #options: MailboxSupervisorOptions;
  readonly #running = new Map<string, Running>();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: MailboxSupervisorOptions) {
    this.#options = options;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  /**
   * Checks that every stored credential opens under this relay's key (on PostgreSQL a wrong
   * key is refused at start-up: several instances must share one key), then takes its first
   * look and keeps looking.
   */
  async start(): Promise<void> {
    await this.#checkCredentials();
    await this.#look();
    this.#timer = setInterval(() => this.poke(), this.#options.relistMs ?? MAILBOX_RELIST_MS);
    this.#timer.unref();
  }

  /** Looks at the mailboxes now (coalesced with a look already running). */
  poke(): void {
    if (this.#stopped) return;
    if (this.#pass) {
      this.#again = true;
      return;
    }
    void this.#look();
  }

  /** The mailbox ids this instance runs now. */
  runningIds(): string[] {
    return [...this.#running.keys()];
  }

  /** Stops every connector this instance runs and releases their leases for another instance. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#pass;
    await Promise.all([...this.#running.keys()].map((id) => this.#stopOne(id, { release: true })));
  }

  async #checkCredentials(): Promise<void> {
    const { ctx } = this.#options;
    if (ctx.database.dialect !== 'postgres') return;
    for (const row of await listLiveMailboxes(ctx.database.db)) {
      if (row.credential === null || !ctx.mailboxCredentials) continue;
      try {
        ctx.mailboxCredentials.open(row.credential, mailboxCredentialBinding(row.id));
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        throw new ConfigError(
          `CREDENTIAL_KEY: the password of mailbox ${row.id} does not open with this instance's credential key; every instance sharing the database needs the same CREDENTIAL_KEY or CREDENTIAL_KEY_FILE (docs/operations.md)`,
        );
      }
    }
  }

  #look(): Promise<void> {
    const pass = (async () => {
      do {
        this.#again = false;
        try {
          await this.#reconcile();
        } catch (error) {
          this.#options.logger.warn(
            { err: { message: (error as Error).message } },
            'mailboxes could not be read; trying again shortly',
          );
          await this.#dropExpiredLeases();
        }
      } while (this.#again && !this.#stopped);
    })();
    this.#pass = pass.finally(() => {
      this.#pass = undefined;
    });
    return this.#pass;
  }

  async #reconcile(): Promise<void> {
    const { ctx } = this.#options;
    const rows = await listLiveMailboxes(ctx.database.db);
    if (this.#stopped) return;
    const live = new Map(rows.map((row) => [row.id, row]));
    // Removed or edited: stop (an edited one starts again below with its new settings).
    for (const [id, running] of this.#running) {
      const row = live.get(id);
      if (!row || row.updated_at !== running.updatedAt) await this.#stopOne(id, { release: true });
    }
    const leaseMs = this.#options.leaseMs ?? MAILBOX_LEASE_MS;
    const renewMs = this.#options.renewMs ?? MAILBOX_LEASE_RENEW_MS;
    for (const row of rows) {
      if (this.#stopped) return;
      const running = this.#running.get(row.id);
      const now = Date.now();
      if (running && now - running.renewedAt < renewMs) continue;
      const held = await takeMailboxLease(ctx.database.db, {
        id: row.id,
        holder: this.instanceId,
        now: iso(now),
        expiresAt: iso(now + leaseMs),
      });
      if (!held) {
        // Another instance holds it, or took it while this one stalled past its lease.
        if (running) await this.#stopOne(row.id, { release: false });
        continue;
      }
      if (running) running.renewedAt = now;
      else await this.#startOne(row, now);
    }
  }

  /**
   * Without the database this instance cannot renew: once a lease has run out another instance
   * may run that mailbox, so this one stops its connector (exactly one runs each mailbox).
   */
  async #dropExpiredLeases(): Promise<void> {
    const leaseMs = this.#options.leaseMs ?? MAILBOX_LEASE_MS;
    const now = Date.now();
    for (const [id, running] of this.#running)
      if (now - running.renewedAt >= leaseMs) await this.#stopOne(id, { release: false });
  }

  async #startOne(row: MailboxRow, leasedAt: number): Promise<void> {
    const { ctx, logger } = this.#options;
    const health = new MailboxHealthWriter({
      ctx,
      logger,
      holder: this.instanceId,
      mailbox: { id: row.id, ownerId: row.owner_id, name: row.name },
      onChange: this.#options.onHealthChange,
    });
    const running: Running = { updatedAt: row.updated_at, renewedAt: leasedAt, health, connector: undefined };
    this.#running.set(row.id, running);
    await health.starting(row.last_message_at);
    try {
      running.connector = await startMailboxConnector({
        ctx,
        row,
        logger,
        lookbackSeconds: this.#options.lookbackSeconds,
        health,
        gmail: this.#options.gmail,
      });
      logger.info({ mailboxId: row.id, ownerId: row.owner_id }, 'mailbox connector started');
    } catch (error) {
      if (error instanceof SecretBoxError) await health.cannotOpenCredential();
      else {
        logger.error(
          { mailboxId: row.id, err: { message: (error as Error).message } },
          'mailbox connector could not start',
        );
        await health.stop('failing');
      }
    }
  }

  async #stopOne(id: string, options: { release: boolean }): Promise<void> {
    const running = this.#running.get(id);
    if (!running) return;
    this.#running.delete(id);
    await running.connector?.stop();
    await running.health.stop();
    if (options.release) await releaseMailboxLease(this.#options.ctx.database.db, id, this.instanceId);
    this.#options.logger.info({ mailboxId: id }, 'mailbox connector stopped');
  }
}
