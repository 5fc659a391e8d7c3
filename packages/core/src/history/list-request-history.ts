import {
  OTP_STATUSES,
  type OtpStatus,
  type OwnerRequestEntry,
  type OwnerRequestHistoryQuery,
  PERMISSION_STATUSES,
  type PermissionStatus,
} from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { listOwnerRequests } from '../otp/list-owner-requests.js';
import { listOwnerPermissions } from '../permissions/list-owner-permissions.js';

/** The query as the route validated it (defaults applied), for one owner. */
export interface RequestHistoryQuery extends Omit<OwnerRequestHistoryQuery, 'limit' | 'kind'> {
  ownerId: string;
  kind: 'otp' | 'permission' | 'all';
  limit: number;
}

/** The time-ordered part of a prefixed ULID (`otp_01J…` → `01J…`): both kinds sort on it. */
function ulidOf(id: string): string {
  return id.slice(id.indexOf('_') + 1);
}

/**
 * One page of the owner's history, newest first: one kind, or both merged. Each table is
 * read with its own index-friendly keyset page (`id < cursor`, limit + 1), and the merge
 * orders by the ULID both kinds' IDs end with, so the cursor (the last entry's ID) works
 * for either table: a request of the other kind created in the same millisecond is the
 * only thing that could be ordered differently, never skipped.
 *
 * @example
 * const { requests, nextCursor } = await listRequestHistory(ctx, { ownerId, kind: 'all', limit: 25 });
 */
export async function listRequestHistory(
  ctx: CoreContext,
  query: RequestHistoryQuery,
): Promise<{ requests: OwnerRequestEntry[]; nextCursor: string | null }> {
  const { kind, status, cursor, ...filters } = query;
  const ulid = cursor === undefined ? undefined : ulidOf(cursor);
  const wantOtp = kind !== 'permission' && (status === undefined || isOtpStatus(status));
  const wantPermission = kind !== 'otp' && (status === undefined || isPermissionStatus(status));
  const [otp, permissions] = await Promise.all([
    wantOtp
      ? listOwnerRequests(ctx, {
          ...filters,
          status: status as OtpStatus | undefined,
          cursor: ulid === undefined ? undefined : `otp_${ulid}`,
        })
      : { requests: [], nextCursor: null },
    wantPermission
      ? listOwnerPermissions(ctx, {
          ...filters,
          status: status as PermissionStatus | undefined,
          cursor: ulid === undefined ? undefined : `prm_${ulid}`,
        })
      : { requests: [], nextCursor: null },
  ]);
  const merged: OwnerRequestEntry[] = [
    ...otp.requests.map((request) => ({ ...request, kind: 'otp' as const })),
    ...permissions.requests.map((request) => ({ ...request, kind: 'permission' as const })),
  ].sort((a, b) => (ulidOf(a.id) < ulidOf(b.id) ? 1 : -1));
  const page = merged.slice(0, query.limit);
  const more = merged.length > query.limit || otp.nextCursor !== null || permissions.nextCursor !== null;
  return { requests: page, nextCursor: more ? (page.at(-1)?.id ?? null) : null };
}

function isOtpStatus(status: string): boolean {
  return (OTP_STATUSES as readonly string[]).includes(status);
}

function isPermissionStatus(status: string): boolean {
  return (PERMISSION_STATUSES as readonly string[]).includes(status);
}
