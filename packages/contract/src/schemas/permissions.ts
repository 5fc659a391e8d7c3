import { z } from 'zod';
import { compileSafePattern, SAFE_PATTERN_LIMITS, UnsafePatternError } from '../safe-pattern.js';
import { JsonObject, Timestamp } from './common.js';
import {
  CREATE_PERMISSION_REQUEST_EXAMPLE,
  PERMISSION_REQUEST_EXAMPLE,
  USE_TOKEN_BODY_EXAMPLE,
  USE_TOKEN_RESPONSE_EXAMPLE,
  VERIFY_TOKEN_BODY_EXAMPLE,
  VERIFY_TOKEN_RESPONSE_EXAMPLE,
} from './examples.js';
import { Decision, DenialReasonField } from './otp.js';
import { WebhookUrl } from './webhook-url.js';

/**
 * Statuses of a permission request. `approved` means a token exists (or will be handed out
 * on the next read) with uses left; the last four are terminal.
 */
export const PERMISSION_STATUSES = [
  'pending_approval',
  'approved',
  'used',
  'denied',
  'expired',
  'cancelled',
] as const;
export type PermissionStatus = (typeof PERMISSION_STATUSES)[number];
export const PermissionStatusSchema = z.enum(PERMISSION_STATUSES).meta({ id: 'PermissionStatus' });

/** Statuses at which a waiting agent has something to act on (a decision was made or the request ended). */
export const SETTLED_PERMISSION_STATUSES: ReadonlySet<PermissionStatus> = new Set([
  'approved',
  'used',
  'denied',
  'expired',
  'cancelled',
]);

/** TTL bounds for permission requests and their tokens, in seconds. */
export const PERMISSION_TTL = { min: 30, max: 3600, default: 300 } as const;

/** How many uses a token may grant at most (`max_uses`). */
export const MAX_TOKEN_USES = 1000;

const Primitive = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
const PrimitiveOrList = z.union([Primitive, z.array(Primitive).max(100)]);
const FieldValue = z.union([PrimitiveOrList, z.record(z.string().max(64), PrimitiveOrList)]);

/** Keys of scope, context and actionDetails objects: identifiers, so dotted paths stay unambiguous. */
export const FieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'keys must be identifiers (letters, digits, _ and -)');

/** A JSON object of limited size and depth: values are primitives, lists, or one nested object. */
export function boundedObject(what: string) {
  return z
    .record(FieldName, FieldValue)
    .refine((value) => Object.keys(value).length <= 50, `${what} may have at most 50 keys`);
}

function checkScopeConstraints(scope: Record<string, unknown>, ctx: z.RefinementCtx): void {
  // Every use runs every pattern of the scope: their combined size bounds the cost of one use.
  let programSize = 0;
  for (const [key, value] of Object.entries(scope)) {
    if (key.endsWith('_pattern')) {
      if (typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a regular expression string` });
        continue;
      }
      try {
        programSize += compileSafePattern(value).programSize();
        if (programSize > SAFE_PATTERN_LIMITS.maxScopeProgramSize)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${key}: the patterns of one scope may compile to at most ${SAFE_PATTERN_LIMITS.maxScopeProgramSize} steps together`,
          });
      } catch (error) {
        if (!(error instanceof UnsafePatternError)) throw error;
        ctx.addIssue({ code: 'custom', path: [key], message: `${key}: ${error.message}` });
      }
    } else if (key === 'max_uses') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_TOKEN_USES)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `max_uses must be a whole number from 1 to ${MAX_TOKEN_USES}`,
        });
    } else if (key.startsWith('max_')) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a number` });
    } else if (key.startsWith('allowed_')) {
      if (!Array.isArray(value))
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a list` });
    } else if (key === 'require_details') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'require_details must be a list of field names',
        });
    }
  }
}

/**
 * What a permission allows. Keys with a mechanical meaning are checked on every `use`
 * (`max_uses`, `max_<field>`, `<field>_pattern`, `allowed_<field>`, `require_details`); every
 * other key is shown to the approver and returned by `verify` for the protected operation.
 * A use that reports details is checked in full (a rule whose field it does not report fails
 * closed); a use with no details at all is an audited plain spend unless `require_details`.
 */
export const PermissionScope = boundedObject('scope')
  .superRefine(checkScopeConstraints)
  .meta({
    id: 'PermissionScope',
    example: { max_emails: 1, subject_pattern: '^Invoice.*' },
    description:
      'Constraints of the permission. Enforced on use: `max_uses` (how many uses, default 1), `max_<field>` (numeric actionDetails.<field> ≤ value, or list length ≤ value), `<field>_pattern` (actionDetails.<field> must match the regex, RE2 syntax), `allowed_<field>` (actionDetails.<field> must be one of the list), `require_details` (fields actionDetails must contain). A use that reports actionDetails is checked in full: a rule whose field it does not report fails closed (403 SCOPE_VIOLATION). A use with no actionDetails at all is a plain spend, audited as scopeChecked: false, unless the scope has require_details.',
  });
export type PermissionScope = z.infer<typeof PermissionScope>;

export const PermissionContext = boundedObject('context').meta({
  id: 'PermissionContext',
  example: { reason: 'Sending monthly invoice to client' },
  description:
    'Why the agent asks. `reason` is shown to the approver; every key is available to policies as `context.<key>`.',
});

/** Body of `POST /api/v1/permissions/request`. */
export const CreatePermissionRequestBody = z
  .strictObject({
    action: z
      .string()
      .trim()
      .min(1, 'action is required')
      .max(100)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'action may contain letters, digits, dots, colons, dashes and underscores')
      .meta({ example: 'gmail.send' }),
    resource: z
      .string()
      .trim()
      .min(1, 'resource is required')
      .max(500)
      .meta({ example: 'email:client@example.com' }),
    scope: PermissionScope.optional(),
    context: PermissionContext.optional(),
    ttl: z
      .number()
      .int('ttl must be a whole number of seconds')
      .min(PERMISSION_TTL.min, `ttl must be at least ${PERMISSION_TTL.min} seconds`)
      .max(PERMISSION_TTL.max, `ttl must be at most ${PERMISSION_TTL.max} seconds`)
      .optional()
      .meta({
        description:
          'Seconds the request waits for a decision, and the token lives after approval. Default 300.',
      }),
    webhookUrl: WebhookUrl.optional(),
  })
  .meta({ id: 'CreatePermissionRequest', example: CREATE_PERMISSION_REQUEST_EXAMPLE });
export type CreatePermissionRequestBody = z.infer<typeof CreatePermissionRequestBody>;

/** A permission request as its agent sees it. */
export const PermissionRequest = z
  .object({
    id: z.string().meta({ example: 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N' }),
    status: PermissionStatusSchema,
    action: z.string(),
    resource: z.string(),
    scope: JsonObject.meta({ description: 'The granted scope once approved; until then the requested one.' }),
    requestedScope: JsonObject,
    context: JsonObject,
    token: z.string().optional().meta({
      description:
        'The `otp_…` token: present in exactly one response (the first read after approval), never again.',
    }),
    tokenIssued: z.boolean().meta({ description: 'Whether the token has been handed out.' }),
    usesRemaining: z.number().int(),
    approvalUrl: z.string(),
    policy: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: 'The policy that decided, if any.' }),
    decision: Decision.nullable(),
    denialReason: DenialReasonField,
    createdAt: Timestamp,
    expiresAt: Timestamp.meta({
      description: 'Pending: when the request lapses. Approved: when the token expires.',
    }),
  })
  .meta({ id: 'PermissionRequest', example: PERMISSION_REQUEST_EXAMPLE });
export type PermissionRequest = z.infer<typeof PermissionRequest>;

const TokenField = z.string().min(1, 'token is required').max(200).meta({ example: 'otp_Xk3…' });

export const VerifyTokenBody = z
  .strictObject({ token: TokenField })
  .meta({ id: 'VerifyTokenBody', example: VERIFY_TOKEN_BODY_EXAMPLE });
export type VerifyTokenBody = z.infer<typeof VerifyTokenBody>;

export const TOKEN_INVALID_REASONS = [
  'invalid_token',
  'not_approved',
  'used',
  'expired',
  'denied',
  'cancelled',
] as const;

/** Response of `POST /api/v1/permissions/:id/verify`: validity is a value, not an error. */
export const VerifyTokenResponse = z
  .object({
    id: z.string(),
    valid: z.boolean(),
    reason: z.enum(TOKEN_INVALID_REASONS).optional().meta({ description: 'Why the token is not valid.' }),
    status: PermissionStatusSchema,
    action: z.string(),
    resource: z.string(),
    scope: JsonObject,
    usesRemaining: z.number().int(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'VerifyTokenResponse', example: VERIFY_TOKEN_RESPONSE_EXAMPLE });
export type VerifyTokenResponse = z.infer<typeof VerifyTokenResponse>;

export const UseTokenBody = z
  .strictObject({
    token: TokenField,
    actionDetails: boundedObject('actionDetails')
      .optional()
      .meta({
        example: { recipient: 'client@example.com', subject: 'Invoice #123' },
        description:
          'What the protected operation is doing; checked against the scope and kept in the audit log.',
      }),
  })
  .meta({ id: 'UseTokenBody', example: USE_TOKEN_BODY_EXAMPLE });
export type UseTokenBody = z.infer<typeof UseTokenBody>;

export const UseTokenResponse = z
  .object({
    id: z.string(),
    success: z.literal(true),
    status: PermissionStatusSchema,
    usesRemaining: z.number().int(),
    usedAt: Timestamp,
  })
  .meta({ id: 'UseTokenResponse', example: USE_TOKEN_RESPONSE_EXAMPLE });
export type UseTokenResponse = z.infer<typeof UseTokenResponse>;
