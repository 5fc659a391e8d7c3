import {
  forwarderSignature,
  hashSecret,
  openSigningSecret,
  signaturesMatch,
  smsGatewaySignature,
  telnyxSignatureValid,
  timestampFresh,
  twilioSignature,
} from '@agent-otp/core';
import { type CaptureSourceRow, findCaptureSource } from '@agent-otp/db';
import { AppError, type CaptureSourceProvider } from '@agent-otp/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { markConnectionAuthenticated } from '../connection-limits.js';
import type { AppEnv, ServerServices } from '../env.js';

/** The signature schemes SMS senders really use, one per route (see docs/sms.md). */
export const SMS_SCHEMES = ['sms-gateway', 'twilio', 'telnyx', 'sms-forwarder'] as const;
export type SmsScheme = (typeof SMS_SCHEMES)[number];

const PROVIDER_OF: Record<SmsScheme, CaptureSourceProvider> = {
  'sms-gateway': 'sms-gateway',
  twilio: 'twilio',
  telnyx: 'telnyx',
  'sms-forwarder': 'generic',
};

/** How each scheme is named in a 401, so an owner can tell which check failed. */
const SCHEME_LABEL: Record<SmsScheme, string> = {
  'sms-gateway': 'X-Signature (SMS Gateway HMAC-SHA256)',
  twilio: 'X-Twilio-Signature (Twilio HMAC-SHA1)',
  telnyx: 'telnyx-signature-ed25519 (Telnyx Ed25519)',
  'sms-forwarder': 'source token',
};

/** SMS Gateway's docs and Telnyx's both recommend five minutes either way. */
const WINDOW_SECONDS = 300;
const SOURCE_ID = /^src_[0-9A-HJKMNP-TV-Z]{26}$/;

type Verdict = { ok: true } | { ok: false; problem: string };
const refuse = (problem: string): Verdict => ({ ok: false, problem });
const OK: Verdict = { ok: true };

function signingSecretOf(services: ServerServices, row: CaptureSourceRow): string {
  if (!row.sealed_signing_secret) throw new AppError('INTERNAL_ERROR', `source ${row.id} has no signing key`);
  return openSigningSecret(services.ctx, row.id, row.sealed_signing_secret);
}

/** The URL Twilio signed: PUBLIC_URL (what Twilio was given) plus the path and query it called. */
function twilioSignedUrl(services: ServerServices, c: Context<AppEnv>): string {
  const called = new URL(c.req.url);
  return `${services.ctx.publicUrl.replace(/\/+$/, '')}${called.pathname}${called.search}`;
}

function formParams(c: Context<AppEnv>, body: string): Array<[string, string]> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) return [];
  return [...new URLSearchParams(body)];
}

function bearerOrHeaderToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('x-source-token');
  if (header) return header.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1];
}

function verify(
  services: ServerServices,
  c: Context<AppEnv>,
  scheme: SmsScheme,
  row: CaptureSourceRow,
  body: string,
): Verdict {
  const nowMs = services.ctx.clock.now().getTime();
  switch (scheme) {
    case 'sms-gateway': {
      const signature = c.req.header('x-signature');
      const timestamp = c.req.header('x-timestamp');
      if (!signature || !timestamp)
        return refuse('missing X-Signature or X-Timestamp (SMS Gateway signature)');
      if (!timestampFresh(timestamp, nowMs, WINDOW_SECONDS))
        return refuse('stale X-Timestamp (SMS Gateway signature, ±5 min)');
      const expected = smsGatewaySignature(signingSecretOf(services, row), body, timestamp);
      return signaturesMatch(expected, signature.toLowerCase()) ? OK : refuse('bad signature (X-Signature)');
    }
    case 'twilio': {
      const signature = c.req.header('x-twilio-signature');
      if (!signature) return refuse('missing X-Twilio-Signature (Twilio signature)');
      const expected = twilioSignature(
        signingSecretOf(services, row),
        twilioSignedUrl(services, c),
        formParams(c, body),
      );
      return signaturesMatch(expected, signature) ? OK : refuse('bad signature (X-Twilio-Signature)');
    }
    case 'telnyx': {
      const signature = c.req.header('telnyx-signature-ed25519');
      const timestamp = c.req.header('telnyx-timestamp');
      if (!signature || !timestamp)
        return refuse('missing telnyx-signature-ed25519 or telnyx-timestamp (Telnyx signature)');
      if (!timestampFresh(timestamp, nowMs, WINDOW_SECONDS))
        return refuse('stale telnyx-timestamp (Telnyx signature, ±5 min)');
      if (!row.telnyx_public_key) throw new AppError('INTERNAL_ERROR', `source ${row.id} has no Telnyx key`);
      return telnyxSignatureValid(row.telnyx_public_key, timestamp, body, signature)
        ? OK
        : refuse('bad signature (telnyx-signature-ed25519)');
    }
    case 'sms-forwarder': {
      const token = bearerOrHeaderToken(c);
      if (!token) return refuse('missing source token (Authorization: Bearer cs_… or X-Source-Token)');
      if (!signaturesMatch(row.token_hash, hashSecret(token))) return refuse('bad source token');
      if (!row.sealed_signing_secret) return OK;
      if (c.req.method !== 'POST')
        return refuse('a signed source takes POST only (X-Signature covers the body)');
      const signature = c.req.header('x-signature');
      const timestamp = c.req.header('x-timestamp');
      if (!signature) return refuse('missing X-Signature (forwarder HMAC-SHA256)');
      if (timestamp !== undefined && !timestampFresh(timestamp, nowMs, WINDOW_SECONDS))
        return refuse('stale X-Timestamp (forwarder HMAC-SHA256, ±5 min)');
      const expected = forwarderSignature(signingSecretOf(services, row), body, timestamp);
      return signaturesMatch(expected, signature.toLowerCase()) ? OK : refuse('bad signature (X-Signature)');
    }
  }
}

/**
 * The credential of an SMS webhook route: the source named in the path, of the provider
 * the route serves, not revoked, and a valid signature (or token) of that provider's scheme
 * over the raw body. Refusals are 401 naming the scheme, and are recorded as the source's
 * last error (never with message content). The raw body is kept for the handler, which
 * parses exactly what was signed.
 */
export function smsSignatureAuth(services: ServerServices, scheme: SmsScheme): MiddlewareHandler<AppEnv> {
  const label = SCHEME_LABEL[scheme];
  return async (c, next) => {
    const sourceId = c.req.param('sourceId') ?? '';
    if (!SOURCE_ID.test(sourceId))
      throw new AppError('UNAUTHORIZED', `${label}: the path names no SMS source`);
    const row = await findCaptureSource(services.ctx.database.db, sourceId);
    if (!row || row.revoked_at || row.provider !== PROVIDER_OF[scheme])
      throw new AppError(
        'UNAUTHORIZED',
        `${label}: no ${PROVIDER_OF[scheme]} source ${sourceId}, or it was revoked`,
      );
    const verdict = services.rateLimiter.take(`sms:${row.id}`);
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      throw new AppError('RATE_LIMITED', `rate limit exceeded; retry after ${verdict.retryAfterSeconds} s`);
    }
    const body = await c.req.text();
    const outcome = verify(services, c, scheme, row, body);
    if (!outcome.ok) {
      await services.sms.refused(row.id, outcome.problem);
      throw new AppError('UNAUTHORIZED', `${label}: ${outcome.problem}`);
    }
    markConnectionAuthenticated(c);
    c.set('smsSource', row);
    c.set('smsBody', body);
    await next();
  };
}
