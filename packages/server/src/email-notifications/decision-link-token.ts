import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Approve/deny links in notification emails carry a signed token instead of a random one
 * stored hashed: nothing to store, clean up or replicate across instances, and the same key
 * (derived from the audit key every instance already shares) verifies it everywhere. It is
 * one-time without a ledger because it can only move a request out of `pending_approval`,
 * which happens once whatever the channel ("first decision wins" in core): a second use finds
 * the request decided. Rotating the audit key invalidates links still in mailboxes, which is
 * the safe direction.
 */

/** The HKDF label: a key for nothing but these links, apart from every other use of the audit key. */
const KEY_INFO = 'agent-otp email decision link v1';
/** Token format version, first in the signed payload so a future format can never be confused with this one. */
const VERSION = 'v1';
/** IDs are prefixed base32 (`otp_…`, `prm_…`, `usr_…`): anything else is not ours. */
const ID_PATTERN = /^[a-z]{2,8}_[0-9A-Za-z]{10,40}$/;
const OUTCOME_CODES = { approved: 'a', denied: 'd' } as const;

export type LinkOutcome = keyof typeof OUTCOME_CODES;

/** What a link may do: decide one request of one owner one way, until a moment. */
export interface DecisionLink {
  requestId: string;
  ownerId: string;
  outcome: LinkOutcome;
  /** Unix seconds; never later than the request's own expiry. */
  expiresAt: number;
}

export type LinkCheck =
  | { ok: true; link: DecisionLink }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired'; link?: DecisionLink };

/**
 * The signing key for decision links, derived from the relay's audit key material.
 *
 * @example
 * const key = decisionLinkKey(ctx.auditKey.secret);
 */
export function decisionLinkKey(material: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), KEY_INFO, 32));
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/**
 * A URL-safe token for one decision: base64url(payload) "." base64url(HMAC-SHA256).
 *
 * @example
 * signDecisionLink(key, { requestId: 'otp_…', ownerId: 'usr_…', outcome: 'approved', expiresAt });
 */
export function signDecisionLink(key: Buffer, link: DecisionLink): string {
  const payload = [VERSION, link.requestId, link.ownerId, OUTCOME_CODES[link.outcome], link.expiresAt].join(
    '.',
  );
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, payload).toString('base64url')}`;
}

function parsePayload(payload: string): DecisionLink | undefined {
  const [version, requestId, ownerId, code, expires, ...rest] = payload.split('.');
  if (version !== VERSION || rest.length > 0 || !requestId || !ownerId || !expires) return undefined;
  if (!ID_PATTERN.test(requestId) || !ID_PATTERN.test(ownerId) || !/^\d{1,12}$/.test(expires))
    return undefined;
  const outcome = code === 'a' ? 'approved' : code === 'd' ? 'denied' : undefined;
  if (!outcome) return undefined;
  return { requestId, ownerId, outcome, expiresAt: Number(expires) };
}

/**
 * Checks a token's signature (in constant time) and expiry. A token whose signature fails is
 * `forged` whatever it claims; only a genuine token can be `expired`.
 *
 * @example
 * const check = verifyDecisionLink(key, token, new Date());
 * if (check.ok) await decide(check.link);
 */
export function verifyDecisionLink(key: Buffer, token: string, now: Date): LinkCheck {
  if (token.length > 512 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token))
    return { ok: false, reason: 'malformed' };
  const [encodedPayload = '', encodedMac = ''] = token.split('.');
  const payload = Buffer.from(encodedPayload, 'base64url').toString('utf8');
  const given = Buffer.from(encodedMac, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  const link = parsePayload(payload);
  if (!link) return { ok: false, reason: 'malformed' };
  if (now.getTime() >= link.expiresAt * 1000) return { ok: false, reason: 'expired', link };
  return { ok: true, link };
}
