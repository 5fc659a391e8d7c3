import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';

/** A timestamp as the API returns it: ISO 8601 UTC with milliseconds. */
export const Timestamp = z.iso
  .datetime({ offset: false })
  // ISO 8601 has a year 0000; PostgreSQL's timestamptz does not (it answers with an error).
  .refine((value) => !value.startsWith('0000'), 'year 0000 is out of range: the earliest is 0001')
  .meta({ example: '2026-11-22T13:05:00.000Z' });

export { JsonObject } from './json-object.js';

/** The kinds of request an agent makes and its owner decides on; declared once, here. */
export const RequestKindSchema = z.enum(['otp', 'permission']);
export type RequestKind = z.infer<typeof RequestKindSchema>;

/** The one error shape every endpoint returns. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error response has this shape.' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Builds a path-parameter schema for a prefixed ID such as `otp_01J…`. */
export function prefixedId(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be an ID starting with ${prefix}_`)
    .meta({ example: `${prefix}_01JD2W9X3YH4Q7M5RZ8T6KCB2N` });
}

export const OtpRequestId = prefixedId('otp');
export const AgentId = prefixedId('agt');
export const SourceId = prefixedId('src');
export const UserId = prefixedId('usr');
export const PermissionRequestId = prefixedId('prm');
export const PolicyId = prefixedId('pol');

/** `?wait=N` for long-poll endpoints. */
export const WaitQuery = z.object({
  wait: z.coerce
    .number()
    .int('wait must be a whole number of seconds')
    .min(0)
    .max(60, 'wait must be at most 60 seconds')
    .optional()
    .meta({
      description:
        'Hold the request up to this many seconds for a change (long-poll). When nothing changes, the answer comes after between 90% and 100% of it, at random, so waiters that started together do not all return (and poll again) together.',
      example: 30,
    }),
});

/** Cursor pagination for owner lists. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ example: 50 }),
  cursor: z.string().max(100).optional().meta({
    description: 'The `nextCursor` of the previous page.',
    example: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  }),
});
