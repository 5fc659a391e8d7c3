import { listCapturableOtpRequestRecords, type OtpRequestRecord } from '@agent-otp/db';
import { type CaptureRequest, OPEN_STATUSES } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { abortAfter } from '../events/abort-after.js';
import { ownerTopic } from '../events/event-bus.js';
import { longPollCapMs } from '../events/long-poll-cap.js';
import { type ChangeFeed, watchChanges } from '../events/watch-changes.js';
import type { AuthenticatedSource } from '../sources/sources.js';

function toCaptureRequest(ctx: CoreContext, row: OtpRequestRecord): CaptureRequest {
  return {
    id: row.id,
    agentId: row.agent_id,
    status: row.status as CaptureRequest['status'],
    sources: row.sources,
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
 * The open requests a capture source may serve: its owner's, accepting its kind, not yet
 * holding a code, not expired. Oldest first, which is the order matching prefers. Every
 * filter runs in SQL, so requests a source cannot serve never crowd out those it can; the
 * list is bounded by the owner's agents × OPEN_REQUESTS_PER_AGENT, the cap on create.
 * With `senderIdentity` (one message's parsed sender, as matching computes it), SQL also
 * leaves out requests whose sender pattern cannot match it, so a message costs the same with
 * 500 open requests as with 100 (issue 18); matching still checks every one it gets.
 *
 * @example
 * const requests = await listOpenRequestsForSource(ctx, source);
 */
export async function listOpenRequestsForSource(
  ctx: CoreContext,
  source: Pick<AuthenticatedSource, 'ownerId' | 'kind'>,
  senderIdentity?: string,
): Promise<CaptureRequest[]> {
  const records = await listCapturableOtpRequestRecords(ctx.database.db, {
    ownerId: source.ownerId,
    sourceKind: source.kind,
    statuses: OPEN_STATUSES,
    now: nowIso(ctx),
    senderIdentity,
  });
  return records.map((record) => toCaptureRequest(ctx, record));
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
  // Jittered like every long-poll, so sources that started together do not re-poll together.
  const until = abortAfter(longPollCapMs(waitSeconds), signal);
  try {
    for await (const { row, cause } of watchChanges(ctx, openRequestsFeed(ctx, source), until.signal))
      if (cause !== 'start' || row.length > 0) return row;
    // Unreachable: the feed yields until the loop returns.
    return listOpenRequestsForSource(ctx, source);
  } finally {
    until.dispose();
  }
}
