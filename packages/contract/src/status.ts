/** Every status an OTP request can be in. The last four are terminal. */
export const OTP_STATUSES = [
  'pending_approval',
  'approved',
  'otp_received',
  'consumed',
  'denied',
  'expired',
  'cancelled',
] as const;

export type OtpStatus = (typeof OTP_STATUSES)[number];

/** Statuses from which no transition leads anywhere. */
export const TERMINAL_STATUSES: ReadonlySet<OtpStatus> = new Set([
  'consumed',
  'denied',
  'expired',
  'cancelled',
]);

/** Statuses in which a capture source may still deliver a code. */
export const OPEN_STATUSES = ['pending_approval', 'approved'] as const satisfies readonly OtpStatus[];

/**
 * Statuses at which a waiting agent has something to act on: a code to consume, or an end.
 * Long-poll returns at once when the request is in one of these.
 */
export const SETTLED_STATUSES: ReadonlySet<OtpStatus> = new Set([
  'otp_received',
  'consumed',
  'denied',
  'expired',
  'cancelled',
]);

/** Where a message came from. */
export const CAPTURE_SOURCES = ['sms', 'email'] as const;
export type CaptureSourceKind = (typeof CAPTURE_SOURCES)[number];

/** Channels through which an owner (or the system) decides or acts. */
export const DECISION_CHANNELS = [
  'cli',
  'dashboard',
  'telegram',
  'email',
  'api',
  'policy',
  'system',
] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** TTL bounds for OTP requests, in seconds. */
export const OTP_TTL = { min: 30, max: 3600, default: 300 } as const;

/** How far before a request's creation a message may have arrived and still serve it. */
export const DEFAULT_LOOKBACK_SECONDS = 120;

/** Longest a single long-poll may hold a connection, in seconds. */
export const MAX_WAIT_SECONDS = 60;
