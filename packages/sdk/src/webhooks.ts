// The one SDK module that needs a Node built-in: webhook receivers are servers (Node, Bun and
// Deno all provide `node:crypto`), and verification must be synchronous and constant-time,
// which WebCrypto's promise-based API is not. The HMAC itself is the contract's, so the relay
// and the verifier cannot disagree on the signed message.
import { timingSafeEqual } from 'node:crypto';
import { WEBHOOK_HEADERS, WEBHOOK_SIGNATURE_SCHEME, WebhookEvent } from '@orrisai/agent-otp-contract';
import { webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';
import { ValidationError, WebhookSignatureError, type WebhookSignatureFailure } from './errors.js';

/** Default `toleranceSeconds`: how far a delivery's timestamp may be from the receiver's clock. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * The request headers as a receiver has them: Node's `req.headers` (`IncomingHttpHeaders`),
 * a Fetch `Headers` (Request.headers in Bun, Deno, Hono, Next.js …), or a plain record.
 * Names are matched case-insensitively.
 *
 * @example
 * const headers: WebhookHeaders = { 'X-OTP-Timestamp': '1764547200', 'x-otp-signature': 'v1=…' };
 */
export type WebhookHeaders =
  | Headers
  | { readonly [name: string]: string | ReadonlyArray<string> | undefined };

/**
 * Options of {@link verifyWebhookSignature}.
 *
 * @example
 * const options: VerifyWebhookSignatureOptions = { toleranceSeconds: 60 };
 */
export interface VerifyWebhookSignatureOptions {
  /** Largest accepted distance, in seconds, between `x-otp-timestamp` and now (default 300). */
  toleranceSeconds?: number | undefined;
  /** The receiver's clock: a `Date` or epoch milliseconds (default `Date.now()`); for tests. */
  now?: Date | number | undefined;
}

function fail(reason: WebhookSignatureFailure, message: string): never {
  throw new WebhookSignatureError(message, { reason });
}

function isFetchHeaders(headers: WebhookHeaders): headers is Headers {
  return typeof (headers as Headers).get === 'function';
}

/** Every value of a header (a record may spell a name in several cases), joined like Fetch joins them. */
function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (isFetchHeaders(headers)) return headers.get(name) ?? undefined;
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  return values.length === 0 ? undefined : values.join(', ');
}

function requireHeader(headers: WebhookHeaders, name: string): string {
  const value = readHeader(headers, name)?.trim();
  if (!value) fail('missing_header', `the webhook delivery has no ${name} header`);
  return value;
}

function toMilliseconds(now: Date | number | undefined): number {
  if (now === undefined) return Date.now();
  const ms = now instanceof Date ? now.getTime() : now;
  if (!Number.isFinite(ms)) throw new ValidationError('now must be a Date or epoch milliseconds');
  return ms;
}

function rawBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === 'string') return new TextEncoder().encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new ValidationError(
    'rawBody must be the request body exactly as received (a string, Buffer, Uint8Array or ArrayBuffer), not parsed JSON: re-serialised JSON does not match the signature',
  );
}

/** The hex values of the `v1=` entries; other schemes are ignored, as the wire format says. */
function v1Entries(signatureHeader: string): string[] {
  const prefix = `${WEBHOOK_SIGNATURE_SCHEME}=`;
  return signatureHeader
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length));
}

function anyEntryMatches(entries: string[], expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  let matched = false;
  // Every entry is compared (no early exit), each in constant time.
  for (const entry of entries) {
    if (!HEX_SHA256.test(entry)) continue;
    if (timingSafeEqual(Buffer.from(entry, 'hex'), expected)) matched = true;
  }
  return matched;
}

function parseEvent(bytes: Uint8Array, eventIdHeader: string): WebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    fail('malformed', 'the signed webhook body is not JSON');
  }
  const event = WebhookEvent.safeParse(json);
  if (!event.success) fail('malformed', 'the signed webhook body is not an Agent OTP event');
  // The event id header is not signed; receivers dedupe on it, so it must name the signed event.
  if (event.data.id !== eventIdHeader)
    fail('malformed', `${WEBHOOK_HEADERS.eventId} does not match the signed event's id`);
  return event.data;
}

/**
 * Verifies an Agent OTP webhook delivery and returns its event. Checks, in order: the
 * `x-otp-event-id`, `x-otp-timestamp` and `x-otp-signature` headers are present; the
 * timestamp is whole seconds within `toleranceSeconds` of now (so a captured delivery cannot
 * be replayed later, and a replay with a fresh timestamp no longer matches the MAC); one of
 * the `v1=` entries is the HMAC-SHA256 of `<timestamp>.<rawBody>` under `secret` (compared
 * in constant time); the signed body is an Agent OTP event whose id is the event id header.
 * Throws {@link WebhookSignatureError} (with `reason`) otherwise.
 *
 * `rawBody` must be the bytes exactly as received; parsed and re-serialised JSON will not match.
 *
 * @example
 * // node:http: read the raw body, then verify before trusting anything in it.
 * const chunks: Buffer[] = [];
 * for await (const chunk of req) chunks.push(chunk);
 * const event = verifyWebhookSignature(Buffer.concat(chunks), req.headers, process.env.AGENT_OTP_WEBHOOK_SECRET!);
 * if (event.status === 'otp_received') await resume(event.request_id);
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookSignatureOptions = {},
): WebhookEvent {
  if (typeof secret !== 'string' || secret === '')
    throw new ValidationError('secret is required: the agent’s webhook signing secret (whsec_…)');
  if (headers === null || typeof headers !== 'object')
    throw new ValidationError('headers must be req.headers, a Fetch Headers object or a plain record');
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== 'number' || !(toleranceSeconds >= 0))
    throw new ValidationError('toleranceSeconds must be a number of seconds ≥ 0');
  const nowSeconds = Math.floor(toMilliseconds(options.now) / 1000);
  const bytes = rawBytes(rawBody);

  const eventId = requireHeader(headers, WEBHOOK_HEADERS.eventId);
  const timestampText = requireHeader(headers, WEBHOOK_HEADERS.timestamp);
  const signatureHeader = requireHeader(headers, WEBHOOK_HEADERS.signature);

  const timestamp = /^\d{1,15}$/.test(timestampText) ? Number(timestampText) : Number.NaN;
  if (!Number.isSafeInteger(timestamp))
    fail('stale_timestamp', `${WEBHOOK_HEADERS.timestamp} is not a whole number of seconds`);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    fail(
      'stale_timestamp',
      `${WEBHOOK_HEADERS.timestamp} is ${nowSeconds - timestamp} s from now, beyond the ${toleranceSeconds} s tolerance`,
    );

  const entries = v1Entries(signatureHeader);
  if (!entries.some((entry) => HEX_SHA256.test(entry)))
    fail('malformed', `${WEBHOOK_HEADERS.signature} has no ${WEBHOOK_SIGNATURE_SCHEME}=<hex> entry`);
  if (!anyEntryMatches(entries, webhookSignature(secret, timestamp, bytes)))
    fail('bad_signature', `no ${WEBHOOK_SIGNATURE_SCHEME} signature matches the body and timestamp`);

  return parseEvent(bytes, eventId);
}
