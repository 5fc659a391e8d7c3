import {
  AgentId,
  compileSafePattern,
  PermissionScope,
  RiskLevel,
  Timestamp,
  UnsafePatternError,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  CREATE_POLICY_EXAMPLE,
  POLICY_EVALUATION_EXAMPLE,
  POLICY_EXAMPLE,
  POLICY_LIST_EXAMPLE,
  POLICY_TEST_EXAMPLE,
  UPDATE_POLICY_EXAMPLE,
} from './examples.js';

/** What a matching policy decides. */
export const POLICY_ACTIONS = ['auto_approve', 'require_approval', 'deny'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Which requests a policy governs. */
export const POLICY_TARGETS = ['permission', 'otp', 'any'] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

/** The operators of a condition (DESIGN.md), all optional; every one given must hold. */
export const CONDITION_OPERATORS = [
  'equals',
  'notEquals',
  'startsWith',
  'endsWith',
  'contains',
  'matches',
  'in',
  'notIn',
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
  'exists',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const Primitive = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const Condition = z
  .strictObject({
    equals: Primitive.optional(),
    notEquals: Primitive.optional(),
    startsWith: z.string().max(1000).optional(),
    endsWith: z.string().max(1000).optional(),
    contains: Primitive.optional(),
    matches: z
      .string()
      .optional()
      .superRefine((pattern, ctx) => {
        if (pattern === undefined) return;
        try {
          compileSafePattern(pattern);
        } catch (error) {
          if (!(error instanceof UnsafePatternError)) throw error;
          ctx.addIssue({ code: 'custom', message: `matches: ${error.message}` });
        }
      }),
    in: z.array(Primitive).max(1000).optional(),
    notIn: z.array(Primitive).max(1000).optional(),
    lessThan: z.number().optional(),
    lessThanOrEqual: z.number().optional(),
    greaterThan: z.number().optional(),
    greaterThanOrEqual: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'a condition needs at least one operator')
  .meta({ id: 'PolicyCondition', example: { startsWith: 'bank.' } });
export type Condition = z.infer<typeof Condition>;

/**
 * The paths a condition may test. `scope.*` and `context.*` take any key below them;
 * `otp.*` exist only for OTP requests.
 */
export const CONDITION_PATH =
  /^(kind|action|resource|agent\.name|agent\.id|otp\.(sources|senderPattern|expectedSender|contentPattern)|(scope|context)\.[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)?)$/;

export const ConditionPath = z
  .string()
  .regex(
    CONDITION_PATH,
    'unknown path: use action, resource, kind, agent.name, agent.id, scope.<key>, context.<key>, otp.sources, otp.senderPattern, otp.expectedSender or otp.contentPattern',
  );

// Each field once, shared by the definition (create, YAML) and the partial update.
const PolicyName = z.string().trim().min(1, 'name is required').max(200);
const PolicyDescription = z.string().max(1000);
const PolicyPriority = z.number().int('priority must be a whole number').min(-1_000_000).max(1_000_000);
const PolicyConditions = z.record(ConditionPath, Condition);

/** One policy as written in YAML or sent to the API. */
export const PolicyDefinition = z
  .strictObject({
    name: PolicyName,
    description: PolicyDescription.optional(),
    priority: PolicyPriority.default(0).meta({ description: 'Highest matching priority wins. Default 0.' }),
    conditions: PolicyConditions.default({}).meta({
      description: 'Dotted path → operators; all must hold. `{}` matches every request.',
    }),
    action: z.enum(POLICY_ACTIONS),
    scopeTemplate: PermissionScope.optional().meta({
      description: 'Replaces the requested scope when this policy approves.',
    }),
    appliesTo: z.enum(POLICY_TARGETS).optional().meta({
      description: 'permission, otp or any. Default: otp when a condition tests otp.*, otherwise permission.',
    }),
    risk: RiskLevel.optional().meta({
      description:
        'The risk this policy gives the requests it matches (low, elevated, high); the request shows the highest of this and the built-in rules.',
    }),
  })
  .meta({ id: 'PolicyDefinition' });
export type PolicyDefinitionInput = z.input<typeof PolicyDefinition>;
export type PolicyDefinition = z.output<typeof PolicyDefinition>;

/** Body of `POST /api/v1/policies`. */
export const CreatePolicyBody = PolicyDefinition.extend({
  agentId: AgentId.optional().meta({ description: 'Restrict the policy to one agent.' }),
}).meta({ id: 'CreatePolicy', example: CREATE_POLICY_EXAMPLE });
export type CreatePolicyBody = z.infer<typeof CreatePolicyBody>;

/**
 * Body of `PATCH /api/v1/policies/{id}`: only the fields to change. `null` clears an optional
 * field (`appliesTo: null` goes back to the default inferred from the conditions). The merged
 * policy is compiled like a new one, so an unusable change is refused.
 */
export const UpdatePolicyBody = z
  .strictObject({
    name: PolicyName.optional(),
    description: PolicyDescription.nullable().optional(),
    priority: PolicyPriority.optional().meta({ description: 'Highest matching priority wins.' }),
    conditions: PolicyConditions.optional().meta({
      description: 'Replaces every condition. `{}` matches every request.',
    }),
    action: z.enum(POLICY_ACTIONS).optional(),
    scopeTemplate: PermissionScope.nullable().optional().meta({
      description: 'Replaces the requested scope when this policy approves; null: grant what was asked.',
    }),
    appliesTo: z.enum(POLICY_TARGETS).nullable().optional().meta({
      description: 'permission, otp or any; null: the default inferred from the conditions.',
    }),
    risk: RiskLevel.nullable().optional(),
    agentId: AgentId.nullable().optional().meta({ description: 'Restrict to one agent; null: every agent.' }),
    enabled: z.boolean().optional().meta({ description: 'A disabled policy never decides anything.' }),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one field to change')
  .meta({ id: 'UpdatePolicy', example: UPDATE_POLICY_EXAMPLE });
export type UpdatePolicyBody = z.infer<typeof UpdatePolicyBody>;

/** A policy as the owner API lists it. */
export const Policy = z
  .object({
    id: z
      .string()
      .meta({ description: '`pol_…` for database policies, `file:<n>` for POLICY_FILE entries.' }),
    source: z.enum(['file', 'database']),
    name: z.string(),
    description: z.string().nullable(),
    priority: z.number().int(),
    appliesTo: z.enum(POLICY_TARGETS),
    conditions: z.record(z.string(), z.record(z.string(), z.unknown())),
    action: z.enum(POLICY_ACTIONS),
    scopeTemplate: z.record(z.string(), z.unknown()).nullable(),
    risk: RiskLevel.nullable().meta({
      description: 'The risk it gives the requests it matches; null: none.',
    }),
    agent: z.object({ id: z.string(), name: z.string() }).nullable(),
    enabled: z.boolean(),
    createdAt: Timestamp.nullable(),
  })
  .meta({ id: 'Policy', example: POLICY_EXAMPLE });
export type Policy = z.infer<typeof Policy>;

export const PolicyList = z
  .object({ policies: z.array(Policy) })
  .meta({ id: 'PolicyList', example: POLICY_LIST_EXAMPLE });

/** Body of `POST /api/v1/policies/test`: a request as the engine would see it. */
export const PolicyTestBody = z
  .strictObject({
    kind: z.enum(['permission', 'otp']).default('permission'),
    action: z.string().min(1).max(100),
    resource: z.string().max(500).default(''),
    scope: z.record(z.string(), z.unknown()).default({}),
    context: z.record(z.string(), z.unknown()).default({}),
    agentId: AgentId.optional(),
    otp: z
      .strictObject({
        sources: z.array(z.enum(['sms', 'email'])).optional(),
        senderPattern: z.string().max(200).optional(),
        expectedSender: z.string().max(200).optional(),
        contentPattern: z.string().max(200).optional(),
      })
      .optional(),
  })
  .meta({ id: 'PolicyTest', example: POLICY_TEST_EXAMPLE });
export type PolicyTestBody = z.infer<typeof PolicyTestBody>;

/** What the engine decided, and why. */
export const PolicyEvaluation = z
  .object({
    decision: z.enum(POLICY_ACTIONS),
    policy: z
      .object({
        id: z.string(),
        name: z.string(),
        priority: z.number().int(),
        source: z.enum(['file', 'database']),
      })
      .nullable()
      .meta({ description: 'The winning policy; null when none matched (the default is require_approval).' }),
    scope: z.record(z.string(), z.unknown()).meta({ description: 'The scope that would be granted.' }),
    risk: RiskLevel.nullable().meta({
      description:
        'The winning policy’s `risk`, null when it has none (the built-in risk rules are not applied here).',
    }),
    failed: z
      .array(z.object({ policy: z.string(), error: z.string() }))
      .meta({ description: 'Policies that could not be evaluated; any failure forbids auto_approve.' }),
    explanation: z.string(),
  })
  .meta({ id: 'PolicyEvaluation', example: POLICY_EVALUATION_EXAMPLE });
export type PolicyEvaluation = z.infer<typeof PolicyEvaluation>;
