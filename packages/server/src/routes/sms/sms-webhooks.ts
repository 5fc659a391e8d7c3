import { createHash } from 'node:crypto';
import { smsSourceOf, touchCaptureSource } from '@agent-otp/core';
import {
  AppError,
  ForwarderMessage,
  SmsGatewayEnvelope,
  SmsGatewayReceived,
  TelnyxEnvelope,
  TelnyxInboundMessage,
  TwilioInboundMessage,
} from '@agent-otp/shared';
import type { Context } from 'hono';
import type { z } from 'zod';
import { DEFAULT_BODY_LIMIT, plainRoute } from '../../declare-route.js';
import type { AppEnv, ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

/** Twilio answers with TwiML; an empty response sends no reply SMS. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Parses what the sender signed; the message names the field, never a value. */
function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('VALIDATION_ERROR', `${what}: ${path}${issue?.message ?? 'invalid'}`);
}

function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new AppError('MALFORMED_JSON', `${what}: body is not valid JSON`);
  }
}

function refuseNul(body: string): void {
  if (body.includes('\u0000')) throw new AppError('VALIDATION_ERROR', 'body contains a NUL character');
}

function requireType(c: Context<AppEnv>, pattern: RegExp, expected: string): void {
  if (!pattern.test(c.req.header('content-type') ?? ''))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `body must be ${expected}`);
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** A forwarder's fields from JSON, a form, or (no body) the query string. */
function forwarderFields(c: Context<AppEnv>, body: string): unknown {
  const type = c.req.header('content-type') ?? '';
  if (body.length > 0 && JSON_TYPE.test(type)) return parseJson(body, 'forwarder message');
  if (body.length > 0 && FORM_TYPE.test(type)) return Object.fromEntries(new URLSearchParams(body));
  if (body.length > 0)
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'body must be JSON or form-encoded (or send the fields in the query string)',
    );
  return c.req.query();
}

/**
 * The SMS webhooks: one route per provider, each declaring the signature scheme it takes
 * (middleware/sms-signature-auth.ts checks it over the raw body before anything here runs).
 * Not in the OpenAPI document: only the provider or the owner's phone calls them; the
 * owner API hands out their URLs (`webhookUrl`).
 */
export function registerSmsWebhooks(app: Router, services: ServerServices): void {
  const limit = DEFAULT_BODY_LIMIT;

  plainRoute(
    app,
    services,
    {
      method: 'post',
      path: '/api/v1/sms/sms-gateway/:sourceId',
      credential: { provider: 'sms-gateway' },
      maxBodyBytes: limit,
    },
    async (c) => {
      const row = c.get('smsSource');
      const body = c.get('smsBody');
      refuseNul(body);
      const envelope = parse(
        SmsGatewayEnvelope,
        parseJson(body, 'SMS Gateway webhook'),
        'SMS Gateway webhook',
      );
      if (envelope.event === 'system:ping') {
        await touchCaptureSource(services.ctx, row);
        return c.json({ ok: true, event: envelope.event }, 200);
      }
      // Sent/delivered/failed reports and data SMS carry no code to capture: acknowledged, ignored.
      if (envelope.event !== 'sms:received')
        return c.json({ ok: true, event: envelope.event, ignored: true }, 200);
      const payload = parse(SmsGatewayReceived, envelope.payload, 'SMS Gateway sms:received payload');
      // The envelope id names the event (its retries repeat it); payload.messageId is content-derived, not unique.
      const receipt = await services.sms.receive(smsSourceOf(row), {
        from: payload.sender ?? payload.phoneNumber ?? '',
        text: payload.message,
        dedupeId: `event:${envelope.id}`,
      });
      return c.json({ ok: true, outcome: receipt.outcome }, 200);
    },
  );

  plainRoute(
    app,
    services,
    {
      method: 'post',
      path: '/api/v1/sms/twilio/:sourceId',
      credential: { provider: 'twilio' },
      maxBodyBytes: limit,
    },
    async (c) => {
      requireType(c, FORM_TYPE, 'form-encoded (application/x-www-form-urlencoded), as Twilio sends it');
      const body = c.get('smsBody');
      refuseNul(body);
      const params = parse(
        TwilioInboundMessage,
        Object.fromEntries(new URLSearchParams(body)),
        'Twilio message',
      );
      await services.sms.receive(smsSourceOf(c.get('smsSource')), {
        from: params.From,
        text: params.Body,
        dedupeId: `sid:${params.MessageSid}`,
      });
      return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml; charset=utf-8' });
    },
  );

  plainRoute(
    app,
    services,
    {
      method: 'post',
      path: '/api/v1/sms/telnyx/:sourceId',
      credential: { provider: 'telnyx' },
      maxBodyBytes: limit,
    },
    async (c) => {
      const body = c.get('smsBody');
      refuseNul(body);
      const envelope = parse(TelnyxEnvelope, parseJson(body, 'Telnyx webhook'), 'Telnyx webhook');
      if (envelope.data.event_type !== 'message.received')
        return c.json({ ok: true, event: envelope.data.event_type, ignored: true }, 200);
      const message = parse(TelnyxInboundMessage, envelope.data.payload, 'Telnyx message.received payload');
      const receipt = await services.sms.receive(smsSourceOf(c.get('smsSource')), {
        from: message.from.phone_number,
        text: message.text,
        dedupeId: `message:${message.id}`,
      });
      return c.json({ ok: true, outcome: receipt.outcome }, 200);
    },
  );

  for (const method of ['post', 'get'] as const) {
    plainRoute(
      app,
      services,
      {
        method,
        path: '/api/v1/sms/generic/:sourceId',
        credential: { provider: 'sms-forwarder' },
        maxBodyBytes: limit,
      },
      async (c) => {
        const body = c.get('smsBody');
        refuseNul(body);
        const fields = parse(ForwarderMessage, forwarderFields(c, body), 'forwarder message');
        if (fields.from.includes('\u0000') || fields.text.includes('\u0000'))
          throw new AppError('VALIDATION_ERROR', 'message contains a NUL character');
        // Without an id from the app, the signed content itself is the replay key.
        const dedupeId =
          fields.id ??
          `body:${createHash('sha256').update(body).update('\n').update(new URL(c.req.url).search).digest('hex')}`;
        const receipt = await services.sms.receive(smsSourceOf(c.get('smsSource')), {
          from: fields.from,
          text: fields.text,
          dedupeId,
        });
        const result = receipt.outcome === 'duplicate' ? undefined : receipt.result;
        return c.json(
          {
            ok: true,
            outcome: receipt.outcome,
            matched: result?.matched ?? false,
            reason: result?.reason ?? null,
          },
          200,
        );
      },
    );
  }
}
