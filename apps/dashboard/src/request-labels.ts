import type { OwnerRequestEntry, PermissionStatus } from '@agent-otp/shared';
import { OTP_STATUS_LABELS, OTP_STATUS_LIST } from './format.js';

/**
 * Every permission status in words, as `OTP_STATUS_LABELS` is for codes: an approved
 * permission holds a token, not a code it waits for (issue 15).
 */
export const PERMISSION_STATUS_LABELS = {
  pending_approval: 'Waiting for you',
  approved: 'Approved: token issued',
  used: 'Approved: every use spent',
  denied: 'Denied',
  expired: 'Expired',
  cancelled: 'Cancelled',
} as const satisfies Record<PermissionStatus, string>;

/** The kinds the history filters on, in words. */
export const KIND_LABELS = {
  all: 'All kinds',
  otp: 'Codes (OTP)',
  permission: 'Permissions',
} as const;
export type KindFilter = keyof typeof KIND_LABELS;

function uses(n: number): string {
  return `${n} ${n === 1 ? 'use' : 'uses'}`;
}

/**
 * One request's status in words, right for its kind: "Approved: token issued, 2 uses left"
 * for a permission, "Approved, waiting for the code" only for a code. A permission the owner
 * revoked (closed approved with no uses left) says so instead of a bare "Cancelled".
 *
 * @example
 * requestStatusLabel(entry); // 'Approved: token issued, 3 uses left'
 */
export function requestStatusLabel(entry: OwnerRequestEntry): string {
  if (entry.kind === 'otp') return OTP_STATUS_LABELS[entry.status];
  switch (entry.status) {
    case 'approved':
      return entry.tokenIssued
        ? `Approved: token issued, ${uses(entry.usesRemaining)} left`
        : `Approved: token not yet collected by the agent, ${uses(entry.usesRemaining)}`;
    case 'cancelled':
      return entry.decision?.outcome === 'approved' && entry.usesRemaining === 0
        ? 'Revoked: the token no longer works'
        : 'Cancelled by the agent';
    default:
      return PERMISSION_STATUS_LABELS[entry.status];
  }
}

/** The statuses a history filter offers for a kind, each once, in words. */
export function statusOptions(kind: KindFilter): { value: string; label: string }[] {
  const otp = OTP_STATUS_LIST.map((value) => ({ value, label: `${OTP_STATUS_LABELS[value]}` }));
  const permission = (Object.keys(PERMISSION_STATUS_LABELS) as PermissionStatus[]).map((value) => ({
    value,
    label: PERMISSION_STATUS_LABELS[value],
  }));
  if (kind === 'otp') return otp;
  if (kind === 'permission') return permission;
  // Both kinds: one option per status; the words say what it means for each.
  const seen = new Map<string, string>();
  for (const option of [...otp, ...permission])
    seen.set(option.value, seen.has(option.value) ? statusWordsForBoth(option.value) : option.label);
  return [...seen].map(([value, label]) => ({ value, label }));
}

function statusWordsForBoth(status: string): string {
  switch (status) {
    case 'approved':
      return 'Approved (code awaited, or token issued)';
    case 'cancelled':
      return 'Cancelled or revoked';
    default:
      return PERMISSION_STATUS_LABELS[status as PermissionStatus] ?? status;
  }
}

/** What a request asked for, in one line: the reason of a code, the action on a resource of a permission. */
export function requestSubject(entry: OwnerRequestEntry): string {
  if (entry.kind === 'otp') return entry.reason;
  const reason = typeof entry.context.reason === 'string' ? ` (${entry.context.reason})` : '';
  return `${entry.action} on ${entry.resource}${reason}`;
}
