import type { OtpRequestRow } from '@agent-otp/db';
import { type CaptureRequest, OPEN_STATUSES } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { abortAfter } from '../events/abort-after.js';
import { ownerTopic } from '../events/event-bus.js';
import { type ChangeFeed, watchChanges } from '../events/watch-changes.js';
import { rowSources } from '../otp/otp-row.js';
import type { AuthenticatedSource } from '../sources/sources.js';

function toCaptureRequest(ctx: CoreContext, row: OtpRequestRow): CaptureRequest {
  return {
    id: row.id,
    agentId: row.agent_id,
    status: row.status as CaptureRequest['status'],
    sources: rowSources(row),
    senderPattern: row.sender_pattern,
    contentPattern: row.content_pattern,
    expectedSender: row.expected_sender,
    publicKey: row.public_key,
    keyFingerprint: row.key_fingerprint,
    createdAt: row.created_at,
    notBefore: new Date(Date.parse(row.created_at) - ctx.lookbackSeconds * 1000).toISOString(),
    expiresAt: row.expires_at,
  };
}

/**
 * The SQL pattern that finds a kind in the `sources` column: it holds the canonical JSON
 * array written on create (`["sms","email"]`), whose members are quoted enum names.
 */
function sourceKindPattern(kind: AuthenticatedSource['kind']): string {
  return `%${JSON.stringify(kind)}%`;
}

/**
 * The open requests a capture source may serve: its owner's, accepting its kind, not yet
 * holding a code, not expired. Oldest first, which is the order matching prefers. Every
 * filter runs in SQL, so requests a source cannot serve never crowd out those it can; the
 * list is bounded by the owner's agents × OPEN_REQUESTS_PER_AGENT, the cap on create.
 *
 * @example
 * const requests = await listOpenRequestsForSource(ctx, source);
 */
export async function listOpenRequestsForSource(
  ctx: CoreContext,
  source: Pick<AuthenticatedSource, 'ownerId' | 'kind'>,
): Promise<CaptureRequest[]> {
  const rows = await ctx.database.db
    .selectFrom('otp_requests')
    .selectAll()
    .where('owner_id', '=', source.ownerId)
    .where('status', 'in', OPEN_STATUSES)
    .where('encrypted_payload', 'is', null)
    .where('expires_at', '>', nowIso(ctx))
    .where('sources', 'like', sourceKindPattern(source.kind))
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.filter((row) => rowSources(row).includes(source.kind)).map((row) => toCaptureRequest(ctx, row));
}

/**
 * What a capture source follows on the bus: its open requests, re-listed when a new OTP
 * request of its owner appears (or the bus resyncs). Long-polls and connectors use it.
 *
 * @example
 * for await (const { row } of watchChanges(ctx, openRequestsFeed(ctx, source), signal)) …
 */
export function openRequestsFeed(
  ctx: CoreContext,
  source: Pick<AuthenticatedSource, 'ownerId' | 'kind'>,
): ChangeFeed<CaptureRequest[]> {
  return {
    topic: ownerTopic(source.ownerId),
    read: () => listOpenRequestsForSource(ctx, source),
    // Only a new OTP request can give an idle source work.
    wakesOn: (event) => event.type === 'created' && event.kind === 'otp',
  };
}

/**
 * Long-poll for capture sources: returns at once when the source has open requests (or
 * `waitSeconds` is 0), otherwise when a new request of its owner appears or time runs out.
 *
 * @example
 * const requests = await waitForOpenRequests(ctx, source, 30, signal);
 */
export async function waitForOpenRequests(
  ctx: CoreContext,
  source: Pick<AuthenticatedSource, 'ownerId' | 'kind'>,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<CaptureRequest[]> {
  if (waitSeconds <= 0 || signal?.aborted) return listOpenRequestsForSource(ctx, source);
  const until = abortAfter(waitSeconds * 1000, signal);
  try {
    for await (const { row, cause } of watchChanges(ctx, openRequestsFeed(ctx, source), until.signal))
      if (cause !== 'start' || row.length > 0) return row;
    // Unreachable: the feed yields until the loop returns.
    return listOpenRequestsForSource(ctx, source);
  } finally {
    until.dispose();
  }
}
