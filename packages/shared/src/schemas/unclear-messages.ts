import { CaptureSourceKindSchema, Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { UNCLEAR_MESSAGE_REPORT_EXAMPLE, UNCLEAR_MESSAGE_REPORT_RESULT_EXAMPLE } from './examples.js';

/** At most this many unclear messages are recorded per request; later ones are not (issue 14). */
export const MAX_UNCLEAR_MESSAGES_PER_REQUEST = 5;

/** Why a message that matched a request served it nothing: no candidate at all, or none clear enough. */
export const UnclearOutcome = z.enum(['no_code', 'unclear_code']).meta({
  id: 'UnclearOutcome',
  description:
    '`no_code`: nothing in the message looked like a code. `unclear_code`: the best candidate’s confidence was below the relay’s threshold (EXTRACT_MIN_CONFIDENCE).',
});
export type UnclearOutcome = z.infer<typeof UnclearOutcome>;

const Confidence = z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .meta({ description: 'The best candidate’s confidence, 0..1 in hundredths; null with `no_code`.' });

/**
 * A message that matched a request but held no clear code, as the request's owner sees it:
 * who sent it and when, never its text, subject or any candidate code.
 */
export const UnclearMessage = z
  .object({
    receivedAt: Timestamp,
    source: CaptureSourceKindSchema,
    from: z
      .string()
      .meta({ description: 'The sender as the request matched it (parsed address or SMS id).' }),
    outcome: UnclearOutcome,
    confidence: Confidence,
  })
  .meta({ id: 'UnclearMessage' });
export type UnclearMessage = z.infer<typeof UnclearMessage>;

/**
 * Body of `POST /api/v1/capture/requests/:id/unclear`: a source that extracts on its own side
 * (`agent-otp email:watch`) reports a matched message that held no clear code. Sender, time
 * and verdict only: the relay refuses anything else.
 */
export const UnclearMessageReport = z
  .strictObject({
    from: z.string().trim().min(1, 'from is required').max(512),
    receivedAt: Timestamp,
    outcome: UnclearOutcome,
    confidence: Confidence,
  })
  .refine((report) => (report.outcome === 'no_code') === (report.confidence === null), {
    message: 'confidence must be null with no_code and a number with unclear_code',
    path: ['confidence'],
  })
  .meta({ id: 'UnclearMessageReport', example: UNCLEAR_MESSAGE_REPORT_EXAMPLE });
export type UnclearMessageReport = z.infer<typeof UnclearMessageReport>;

export const UnclearMessageReportResponse = z
  .object({
    recorded: z.boolean().meta({
      description: `false when the request already holds ${MAX_UNCLEAR_MESSAGES_PER_REQUEST} notes or this one (same sender and time) was recorded before.`,
    }),
  })
  .meta({ id: 'UnclearMessageReportResult', example: UNCLEAR_MESSAGE_REPORT_RESULT_EXAMPLE });
export type UnclearMessageReportResponse = z.infer<typeof UnclearMessageReportResponse>;
