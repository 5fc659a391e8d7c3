import type { OtpRequestRecord } from '@agent-otp/db';
import type { OtpRequest } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import type { RequestEvent } from '../events/event-bus.js';
import { decisionOf, denialReasonOf } from '../requests/decision-of.js';

export function approvalUrl(ctx: Pick<CoreContext, 'publicUrl'>, id: string): string {
  return `${ctx.publicUrl.replace(/\/+$/, '')}/approvals/${id}`;
}

/**
 * A request row as the API shows it. The ciphertext never leaves through this shape: only
 * consume hands it out.
 */
export function toApiOtpRequest(ctx: Pick<CoreContext, 'publicUrl'>, row: OtpRequestRecord): OtpRequest {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    expectedSender: row.expected_sender,
    filter: {
      sources: row.sources,
      senderPattern: row.sender_pattern,
      contentPattern: row.content_pattern,
    },
    keyFingerprint: row.key_fingerprint,
    approvalUrl: approvalUrl(ctx, row.id),
    isTest: row.is_test === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decision: decisionOf(row),
    ...denialReasonOf(row),
    otpReceivedAt: row.otp_received_at,
    consumedAt: row.consumed_at,
  };
}

type OtpEventRow = Pick<OtpRequestRecord, 'id' | 'owner_id' | 'agent_id' | 'status' | 'encrypted_payload'>;

/** The bus event that tells waiters about a request's new state. */
export function otpEventOf(row: OtpEventRow, type: RequestEvent['type'] = 'status'): RequestEvent {
  return {
    type,
    kind: 'otp',
    requestId: row.id,
    ownerId: row.owner_id,
    agentId: row.agent_id,
    status: row.status,
    hasPayload: row.encrypted_payload !== null,
  };
}

/** Tells every waiter about a request's new state; call only after the change committed. */
export function publishOtpEvent(ctx: CoreContext, row: OtpEventRow, type: RequestEvent['type'] = 'status') {
  ctx.bus.publish(otpEventOf(row, type));
}
