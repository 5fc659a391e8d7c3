import type { Tx } from '../transaction.js';

/** How many requests of one kind are in one status (the `/metrics` gauge). */
export interface RequestStatusCount {
  kind: 'otp' | 'permission';
  status: string;
  count: number;
}

/** One decision: when the request was made and when the owner decided it. */
export interface DecisionTiming {
  kind: 'otp' | 'permission';
  decision: 'approved' | 'denied';
  createdAt: string;
  decidedAt: string;
}

/** One code that reached an approved OTP request: when it was approved and when the code arrived. */
export interface CodeArrivalTiming {
  decidedAt: string;
  receivedAt: string;
}

/**
 * Requests per kind and status, across every owner, for an operator's dashboard.
 *
 * @example
 * const counts = await countRequestsByStatus(db); // [{ kind: 'otp', status: 'pending_approval', count: 2 }, …]
 */
export async function countRequestsByStatus(db: Tx): Promise<RequestStatusCount[]> {
  const [otp, permission] = await Promise.all([
    db
      .selectFrom('otp_requests')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('permission_requests')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy('status')
      .execute(),
  ]);
  // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
  return [
    ...otp.map((row) => ({ kind: 'otp' as const, status: row.status, count: Number(row.count) })),
    ...permission.map((row) => ({
      kind: 'permission' as const,
      status: row.status,
      count: Number(row.count),
    })),
  ];
}

/**
 * Webhook events still waiting for a successful delivery (the outbox depth).
 *
 * @example
 * const depth = await countPendingWebhookEvents(db);
 */
export async function countPendingWebhookEvents(db: Tx): Promise<number> {
  const row = await db
    .selectFrom('webhook_outbox')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Decisions recorded in `(after, upTo]` (ISO timestamps), of both kinds. A metrics collector
 * reads each window once, so every decision is counted once however often it scrapes.
 *
 * @example
 * const decided = await listDecisionsBetween(db, lastScrape, now);
 */
export async function listDecisionsBetween(db: Tx, after: string, upTo: string): Promise<DecisionTiming[]> {
  const [otp, permission] = await Promise.all([
    db
      .selectFrom('otp_requests')
      .select(['decision', 'created_at', 'decided_at'])
      .where('decided_at', '>', after)
      .where('decided_at', '<=', upTo)
      .where('decision', 'is not', null)
      .execute(),
    db
      .selectFrom('permission_requests')
      .select(['decision', 'created_at', 'decided_at'])
      .where('decided_at', '>', after)
      .where('decided_at', '<=', upTo)
      .where('decision', 'is not', null)
      .execute(),
  ]);
  const timing = (kind: 'otp' | 'permission') => (row: (typeof otp)[number]) =>
    row.decision && row.decided_at
      ? [{ kind, decision: row.decision, createdAt: row.created_at, decidedAt: row.decided_at }]
      : [];
  return [...otp.flatMap(timing('otp')), ...permission.flatMap(timing('permission'))];
}

/**
 * Codes that reached approved OTP requests in `(after, upTo]`, with the approval time.
 *
 * @example
 * const arrived = await listCodeArrivalsBetween(db, lastScrape, now);
 */
export async function listCodeArrivalsBetween(
  db: Tx,
  after: string,
  upTo: string,
): Promise<CodeArrivalTiming[]> {
  const rows = await db
    .selectFrom('otp_requests')
    .select(['decided_at', 'otp_received_at'])
    .where('decision', '=', 'approved')
    .where('otp_received_at', '>', after)
    .where('otp_received_at', '<=', upTo)
    .execute();
  return rows.flatMap((row) =>
    row.decided_at && row.otp_received_at
      ? [{ decidedAt: row.decided_at, receivedAt: row.otp_received_at }]
      : [],
  );
}
