import type { CaptureSourceKind, OtpStatus } from '@agent-otp/shared';
import type { Tx } from '../transaction.js';
import { type OtpRequestRecord, toRequestRecord } from './request-records.js';
import { senderSuffixCandidates } from './sender-suffix.js';

/**
 * An owner's OTP requests in one of `statuses` that accept `sourceKind`, hold no code yet
 * and are live at `now`, oldest first. Every filter runs in SQL, so requests a source cannot
 * serve never crowd out those it can: the `sources` column holds the JSON array written on
 * insert (`["sms","email"]`), whose members are quoted names, so a LIKE on the quoted kind
 * narrows the rows, and the parsed list decides.
 *
 * With `senderIdentity` (one incoming message's parsed sender), only requests whose sender
 * glob can match it are listed: those whose stored literal end is an end of the sender
 * (sender-suffix.ts), through the `(owner_id, status, sender_suffix)` index. A superset: the
 * caller still runs the real matcher on each.
 *
 * @example
 * const open = await listCapturableOtpRequestRecords(db, { ownerId, sourceKind: 'sms', statuses: OPEN_STATUSES, now });
 */
export async function listCapturableOtpRequestRecords(
  tx: Tx,
  options: {
    ownerId: string;
    sourceKind: CaptureSourceKind;
    statuses: readonly OtpStatus[];
    now: string;
    senderIdentity?: string | undefined;
  },
): Promise<OtpRequestRecord[]> {
  let query = tx
    .selectFrom('otp_requests')
    .selectAll()
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', options.statuses);
  if (options.senderIdentity !== undefined)
    query = query.where('sender_suffix', 'in', senderSuffixCandidates(options.senderIdentity));
  const rows = await query
    .where('encrypted_payload', 'is', null)
    .where('expires_at', '>', options.now)
    .where('sources', 'like', `%${JSON.stringify(options.sourceKind)}%`)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows
    .map((row) => toRequestRecord('otp_requests', row))
    .filter((record) => record.sources.includes(options.sourceKind));
}
