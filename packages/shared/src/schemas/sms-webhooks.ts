import { z } from 'zod';
import { describeUnstorableString } from '../unstorable-text.js';

// What SMS providers post to the relay, as far as the relay reads it. Objects are loose
// (`z.looseObject`): providers add fields without notice, and Twilio's signature covers
// every parameter received, read or not. Text limits are generous for SMS (a concatenated
// SMS is at most a few kilobytes) but bound what one request can make the relay hold.

/** Text the databases could not store (NUL, lone surrogates) is refused, never stored or matched. */
const storable = (text: string) => describeUnstorableString(text) === undefined;
const phone = z.string().trim().min(1).max(128).refine(storable, 'sender must be plain text (no NUL)');
const smsText = z
  .string()
  .max(16_384, 'message text is longer than 16 KiB')
  .refine(storable, 'message text must be plain text (no NUL)');

/** SMS Gateway for Android: the webhook envelope (one event per webhook registration). */
export const SmsGatewayEnvelope = z.looseObject({
  event: z.string().min(1).max(64),
  id: z.string().min(1).max(128),
  deviceId: z.string().max(128).optional(),
  webhookId: z.string().max(128).optional(),
  payload: z.unknown().optional(),
});
export type SmsGatewayEnvelope = z.infer<typeof SmsGatewayEnvelope>;

/** `sms:received`: `sender` (newer apps) or the deprecated `phoneNumber`. */
export const SmsGatewayReceived = z
  .looseObject({
    message: smsText,
    sender: phone.nullish(),
    phoneNumber: phone.nullish(),
    simNumber: z.number().int().nullish(),
    receivedAt: z.string().max(64).nullish(),
  })
  .refine((p) => Boolean(p.sender ?? p.phoneNumber), { message: 'payload needs sender or phoneNumber' });

/** Twilio's inbound message parameters (form-encoded). */
export const TwilioInboundMessage = z.looseObject({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'MessageSid is not a Twilio message SID'),
  From: phone,
  Body: z.string().max(1_600, 'Body is longer than Twilio allows'),
});

/** Telnyx's webhook envelope; `message.received` carries an inbound SMS. */
export const TelnyxEnvelope = z.looseObject({
  data: z.looseObject({
    event_type: z.string().min(1).max(64),
    id: z.string().min(1).max(128),
    payload: z.unknown().optional(),
  }),
});

export const TelnyxInboundMessage = z.looseObject({
  id: z.string().min(1).max(128),
  direction: z.string().max(32).optional(),
  from: z.looseObject({ phone_number: phone }),
  text: smsText,
});

/**
 * A generic forwarder's message, by whichever names the app uses: iOS Shortcuts and the
 * JSON capture API (`from`, `text`), SmsForwarder (`from`, `content`), "Incoming SMS to
 * URL" (`from`, `text`, `sentStamp`), Tasker recipes (`sender`, `message`).
 */
export const ForwarderMessage = z
  .looseObject({
    from: phone.optional(),
    sender: phone.optional(),
    text: smsText.optional(),
    content: smsText.optional(),
    message: smsText.optional(),
    body: smsText.optional(),
    id: z.union([z.string().max(128), z.number()]).optional(),
  })
  .transform((m, ctx) => {
    const from = m.from ?? m.sender;
    const text = m.text ?? m.content ?? m.message ?? m.body;
    if (!from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from (or sender) is required' });
    if (text === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: 'text (or content, message, body) is required',
      });
    return { from: from ?? '', text: text ?? '', id: m.id === undefined ? undefined : String(m.id) };
  });
