import type { OtpStatus } from '@agent-otp/shared';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp in the reader's locale and time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

/** "4:05" or "1:02:03" until a deadline; "expired" once past. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Time left in words, "4 min" or "1 h 5 min"; the last two minutes to the second ("1:05"),
 * when every second counts.
 */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return 'expired';
  if (ms < 120_000) return formatRemaining(ms);
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "just now", "2 min ago", "3 h ago", "2 days ago": how long ago, in words. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** The exact time for a hover title: local time and zone, then UTC. */
export function exactTime(iso: string): string {
  const date = new Date(iso);
  const utc = `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `${dateTimeWithZone.format(date)} · ${utc}`;
}

const dateTimeWithZone = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'long',
});

/** "3 minutes ago", for last-seen columns. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatTime(iso);
}

/**
 * Every OTP status in words, in the contract's order. `satisfies` makes a status the
 * contract adds (or drops) a compile error here instead of a raw word on screen.
 */
export const OTP_STATUS_LABELS = {
  pending_approval: 'Waiting for you',
  approved: 'Approved, waiting for the code',
  otp_received: 'Code ready for the agent',
  consumed: 'Code read by the agent',
  denied: 'Denied',
  expired: 'Expired',
  cancelled: 'Cancelled (by you or the agent, or the agent was revoked)',
} as const satisfies Record<OtpStatus, string>;

/** The OTP statuses, for filters. */
export const OTP_STATUS_LIST = Object.keys(OTP_STATUS_LABELS) as OtpStatus[];

const STATUS_LABELS: Readonly<Record<string, string>> = OTP_STATUS_LABELS;

/** A status in words. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replaceAll('_', ' ');
}
