import {
  countMailboxesByState,
  countPendingWebhookEvents,
  countRequestsByStatus,
  type DatabaseHandle,
  listCodeArrivalsBetween,
  listDecisionsBetween,
  MAILBOX_STATES,
} from '@agent-otp/db';
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { CONNECTOR_STATES, type ConnectorStates } from '../connector-states.js';

/**
 * A decision or a code is read on the scrape after it is this old, so a row whose
 * transaction committed a moment after its timestamp was taken is still counted once.
 */
const SETTLE_MS = 2000;

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/**
 * The route template that answered (`/api/v1/otp/:id`), never the raw path, so IDs cannot
 * blow up the label set; `unmatched` for a path no route claimed.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== 'ALL') return answered.path;
  // A path-wide guard (415, 413, 503 while shutting down) answered before the route ran.
  return routes.find((route) => route.method !== 'ALL')?.path ?? 'unmatched';
}

/**
 * The relay's Prometheus metrics (`/metrics`, opt-in with METRICS_ENABLED). HTTP traffic is
 * counted as it happens; request counts, the webhook outbox and the decision and code
 * timings are read from the database on each scrape, so they cover every instance sharing
 * it. Timings count decisions made since this process started, each once.
 *
 * @example
 * const metrics = new RelayMetrics(database, connectors);
 * metrics.observeHttp('GET', '/api/v1/otp/:id', 200, 0.004);
 * const text = await metrics.scrape();
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly #database: DatabaseHandle;
  readonly #connectors: ConnectorStates;
  #readUpTo = new Date().toISOString();
  #scraping: Promise<string> | undefined;

  readonly #httpRequests = new Counter({
    name: 'agent_otp_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly #httpDuration = new Histogram({
    name: 'agent_otp_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (long-polls and streams included), by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30, 120],
    registers: [this.registry],
  });
  readonly #requests = new Gauge({
    name: 'agent_otp_requests',
    help: 'Requests in the database, by kind (otp, permission) and status.',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });
  readonly #mailboxes = new Gauge({
    name: 'agent_otp_mailboxes',
    help: 'Mailboxes owners connected, by health state (connecting, idle, reconnecting, failing, stopped), across every instance.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly #outboxDepth = new Gauge({
    name: 'agent_otp_webhook_outbox_pending',
    help: 'Webhook events waiting for a successful delivery.',
    registers: [this.registry],
  });
  readonly #timeToDecide = new Histogram({
    name: 'agent_otp_time_to_decide_seconds',
    help: 'From a request being made to the owner deciding it, by kind and decision.',
    labelNames: ['kind', 'decision'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly #approvalToCode = new Histogram({
    name: 'agent_otp_approval_to_code_seconds',
    help: 'From an OTP request being approved to its code arriving (0 when the code was already held).',
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly #connectorState = new Gauge({
    name: 'agent_otp_connector_state',
    help: 'Each configured connector (imap, gmail, telegram): 1 for its current state, 0 for the others.',
    labelNames: ['connector', 'state'] as const,
    registers: [this.registry],
  });
  readonly #databaseUp = new Gauge({
    name: 'agent_otp_database_up',
    help: '1 when the database answered the last scrape, 0 when it did not (the database figures are then stale).',
    registers: [this.registry],
  });

  constructor(database: DatabaseHandle, connectors: ConnectorStates) {
    this.#database = database;
    this.#connectors = connectors;
    collectDefaultMetrics({ register: this.registry, prefix: 'agent_otp_' });
  }

  observeHttp(method: string, route: string, status: number, durationSeconds: number): void {
    this.#httpRequests.inc({ method, route, status: String(status) });
    this.#httpDuration.observe({ method, route }, durationSeconds);
  }

  /** The text exposition; concurrent scrapes share one database read. */
  scrape(): Promise<string> {
    this.#scraping ??= this.#refresh()
      .then(() => this.registry.metrics())
      .finally(() => {
        this.#scraping = undefined;
      });
    return this.#scraping;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async #refresh(): Promise<void> {
    this.#connectorState.reset();
    for (const [connector, current] of this.#connectors.all())
      for (const state of CONNECTOR_STATES)
        this.#connectorState.set({ connector, state }, state === current ? 1 : 0);
    try {
      await this.#readDatabase();
      this.#databaseUp.set(1);
    } catch {
      // An outage is what the scrape should show, not an error page: the gauge says so.
      this.#databaseUp.set(0);
    }
  }

  async #readDatabase(): Promise<void> {
    const db = this.#database.db;
    const upTo = new Date(Date.now() - SETTLE_MS).toISOString();
    const after = this.#readUpTo;
    const [counts, depth, decisions, arrivals, mailboxes] = await Promise.all([
      countRequestsByStatus(db),
      countPendingWebhookEvents(db),
      upTo > after ? listDecisionsBetween(db, after, upTo) : [],
      upTo > after ? listCodeArrivalsBetween(db, after, upTo) : [],
      countMailboxesByState(db),
    ]);
    this.#mailboxes.reset();
    for (const state of MAILBOX_STATES) this.#mailboxes.set({ state }, 0);
    for (const { state, count } of mailboxes) this.#mailboxes.set({ state }, count);
    this.#requests.reset();
    for (const { kind, status, count } of counts) this.#requests.set({ kind, status }, count);
    this.#outboxDepth.set(depth);
    for (const decision of decisions)
      this.#timeToDecide.observe(
        { kind: decision.kind, decision: decision.decision },
        seconds(decision.createdAt, decision.decidedAt),
      );
    for (const arrival of arrivals)
      this.#approvalToCode.observe(seconds(arrival.decidedAt, arrival.receivedAt));
    if (upTo > after) this.#readUpTo = upTo;
  }
}
