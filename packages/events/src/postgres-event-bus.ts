import { randomUUID } from 'node:crypto';
import {
  connectionName,
  type DatabaseHandle,
  DEFAULT_CONNECT_TIMEOUT_MS,
  isDatabaseUnavailable,
  type Tx,
} from '@agent-otp/db';
import { sql } from 'kysely';
import type pg from 'pg';
import type { BusEvent, EventBus, RequestEvent, Unsubscribe } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';

/**
 * What the bus logs through: the relay's pino logger fits as it is. Declared here so the
 * events package does not depend on the server that configures logging.
 */
export interface BusLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** First reconnect delay; it doubles per failed attempt up to {@link RECONNECT_MAX_MS}. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;
/**
 * How often the LISTEN connection proves it is alive. A connection cut without a reset (a
 * failover, a NAT timeout) looks idle forever; without this, other instances' wake-ups
 * would stop arriving and nobody would notice.
 */
const DEFAULT_HEARTBEAT_MS = 15_000;

export interface PostgresEventBusOptions {
  /** Heartbeat interval of the LISTEN connection; a heartbeat unanswered this long counts as lost. */
  heartbeatMs?: number;
}

/**
 * Waits before reconnect `attempt` (0, 1, 2 …): exponential, capped, and spread over the upper
 * half of the window, so instances that lost the database together do not return in step.
 */
function reconnectDelayMs(attempt: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Carries request events between instances over PostgreSQL LISTEN/NOTIFY, so an agent
 * waiting on one instance wakes when another instance records the change. Local
 * subscribers are woken at once; the instance ignores its own notifications.
 *
 * The LISTEN connection can drop (database restart, network, `pg_terminate_backend`). The bus
 * then reconnects with back-off and, once listening again, sends every local subscriber a
 * `resync` event: NOTIFYs sent meanwhile are gone for good, so waiters re-read instead.
 *
 * @example
 * const bus = await PostgresEventBus.start(database, logger);
 * bus.publish({ type: 'status', kind: 'otp', requestId, ownerId, agentId, status: 'approved' });
 */
export class PostgresEventBus implements EventBus {
  private readonly local = new InProcessEventBus();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private client: pg.Client | undefined;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;

  private constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: BusLogger,
    options: PostgresEventBusOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    // Tests isolate themselves per schema; their events must not cross either.
    this.channel = `agent_otp_events${database.postgres?.schema ? `_${database.postgres.schema}` : ''}`;
  }

  /** Connects the listener and resolves once LISTEN is in place (start-up fails fast). */
  static async start(
    database: DatabaseHandle,
    logger: BusLogger,
    options: PostgresEventBusOptions = {},
  ): Promise<PostgresEventBus> {
    const bus = new PostgresEventBus(database, logger, options);
    await bus.listen();
    return bus;
  }

  /** Opens a client and LISTENs on it; it becomes the bus's client only once that worked. */
  private async listen(): Promise<void> {
    const { connectionString, schema } = this.database.postgres!;
    // Loaded here, not at the top: processes on SQLite import this package but never listen.
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString,
      fallback_application_name: connectionName('listen', schema),
      connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', (message) => this.onNotification(message.payload));
    // These stay for the client's whole life: pg can emit 'error' twice as a connection dies
    // (the server's termination notice, then the socket closing), and an 'error' nobody
    // listens to ends the process.
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.heartbeat = setInterval(() => void this.checkAlive(client), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** A query that does not come back in time means the connection is gone, reset or not. */
  private async checkAlive(client: pg.Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('heartbeat unanswered')), this.heartbeatMs);
    });
    try {
      await Promise.race([client.query('select 1'), timeout]);
    } catch (error) {
      // end() destroys the socket when a query is still outstanding, as the heartbeat is.
      this.onLost(client, error as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  private onLost(client: pg.Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.logger.warn(
      { err: { message: error?.message ?? 'connection ended' } },
      'event listener connection lost; reconnecting',
    );
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = reconnectDelayMs(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.closed) return;
    try {
      await this.listen();
    } catch (error) {
      this.logger.warn(
        { err: { message: (error as Error).message }, attempt: this.attempt },
        'event listener reconnect failed; retrying',
      );
      this.scheduleReconnect();
      return;
    }
    if (this.closed) return;
    this.logger.info({ attempts: this.attempt }, 'event listener reconnected');
    this.attempt = 0;
    // LISTEN is in place before the resync, so a change after the re-read still wakes.
    this.local.resync();
  }

  private onNotification(payload: string | undefined): void {
    if (!payload) return;
    try {
      const { origin, event } = JSON.parse(payload) as { origin: string; event: RequestEvent };
      if (origin !== this.instanceId) this.local.dispatch(event);
    } catch {
      this.logger.warn({}, 'ignored a malformed event notification');
    }
  }

  publish(event: RequestEvent, options: { othersNotified?: boolean } = {}): void {
    this.local.dispatch(event);
    if (!options.othersNotified) void this.notifyOthers(this.payloadOf(event));
  }

  /**
   * NOTIFY inside the transaction that makes the change: PostgreSQL delivers it on commit,
   * to listeners who then read the committed row, and drops it on rollback.
   */
  async notifyOthersWithin(tx: Tx, event: RequestEvent): Promise<void> {
    await sql`select pg_notify(${this.channel}, ${this.payloadOf(event)})`.execute(tx);
  }

  private payloadOf(event: RequestEvent): string {
    return JSON.stringify({ origin: this.instanceId, event });
  }

  /**
   * NOTIFY through the pool. The change is already committed; if the pooled connection
   * picked had just died (terminated, not yet noticed), one retry on a fresh connection
   * keeps other instances' waiters from sleeping until their timeout.
   */
  private async notifyOthers(payload: string): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await sql`select pg_notify(${this.channel}, ${payload})`.execute(this.database.db);
        return;
      } catch (error) {
        if (attempt >= 1 || !isDatabaseUnavailable(error) || this.closed) {
          // Other instances miss this event; after an outage their reconnect resync covers it.
          this.logger.warn(
            { err: { message: (error as Error).message } },
            'could not publish an event to other instances',
          );
          return;
        }
      }
    }
  }

  subscribe(topic: string, listener: (event: BusEvent) => void): Unsubscribe {
    return this.local.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.local.close();
  }
}
