import { randomUUID } from 'node:crypto';
import type { EventBus, RequestEvent, Unsubscribe } from '@agent-otp/core';
import { InProcessEventBus } from '@agent-otp/core';
import type { DatabaseHandle } from '@agent-otp/db';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * Carries request events between instances over PostgreSQL LISTEN/NOTIFY, so an agent
 * waiting on one instance wakes when another instance records the change. Local
 * subscribers are woken at once; the instance ignores its own notifications.
 */
export class PostgresEventBus implements EventBus {
  private readonly local = new InProcessEventBus();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private client: pg.Client | undefined;
  private closed = false;
  private reconnectDelayMs = 100;

  private constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    // Tests isolate themselves per schema; their events must not cross either.
    this.channel = `agent_otp_events${database.postgres?.schema ? `_${database.postgres.schema}` : ''}`;
  }

  /** Connects the listener and resolves once LISTEN is in place. */
  static async start(database: DatabaseHandle, logger: Logger): Promise<PostgresEventBus> {
    const bus = new PostgresEventBus(database, logger);
    await bus.connect();
    return bus;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.database.postgres!.connectionString });
    client.on('notification', (message) => this.onNotification(message.payload));
    client.on('error', (error) => {
      this.logger.warn({ err: { message: error.message } }, 'event listener connection failed; reconnecting');
      void this.reconnect(client);
    });
    client.on('end', () => void this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
    this.reconnectDelayMs = 100;
  }

  private async reconnect(failed: pg.Client): Promise<void> {
    if (this.closed || this.client !== failed) return;
    this.client = undefined;
    failed.removeAllListeners();
    await new Promise((resolve) => setTimeout(resolve, this.reconnectDelayMs));
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
    if (this.closed) return;
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'event listener reconnect failed');
      const retryMarker = new pg.Client();
      this.client = retryMarker;
      void this.reconnect(retryMarker);
    }
  }

  private onNotification(payload: string | undefined): void {
    if (!payload) return;
    try {
      const { origin, event } = JSON.parse(payload) as { origin: string; event: RequestEvent };
      if (origin !== this.instanceId) this.local.dispatch(event);
    } catch {
      this.logger.warn('ignored a malformed event notification');
    }
  }

  publish(event: RequestEvent): void {
    this.local.dispatch(event);
    const payload = JSON.stringify({ origin: this.instanceId, event });
    sql`select pg_notify(${this.channel}, ${payload})`.execute(this.database.db).catch((error: Error) => {
      this.logger.warn({ err: { message: error.message } }, 'could not publish an event to other instances');
    });
  }

  subscribe(topic: string, listener: (event: RequestEvent) => void): Unsubscribe {
    return this.local.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
    await this.local.close();
  }
}
