/** The headers every delivery carries (lower case, as Node and Fetch report them). */
export const WEBHOOK_HEADERS = {
  eventId: 'x-otp-event-id',
  timestamp: 'x-otp-timestamp',
  signature: 'x-otp-signature',
} as const;

/** The scheme tag in `x-otp-signature: v1=<hex>`; other tags are ignored by verifiers. */
export const WEBHOOK_SIGNATURE_SCHEME = 'v1';

/** Every webhook secret starts with this, so a leaked one is recognisable in a scan. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
