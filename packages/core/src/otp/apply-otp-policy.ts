import type { OtpRequestRecord } from '@agent-otp/db';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { evaluatePolicies } from '../policies/evaluate-policies.js';
import type { PolicyInput, PolicyOutcome } from '../policies/policy-types.js';

/** What the policy engine did to a new OTP request. */
export interface OtpPolicyResult {
  outcome: PolicyOutcome;
  /** The policy that decided, when it approved or denied at once. */
  decider: Actor | null;
}

/**
 * An OTP request as the policy engine sees it: `action` is `otp.request`, `resource` is
 * `otp:<expected sender, else sender pattern, else *>`, `context.reason` is the reason, and
 * `otp.sources`, `otp.senderPattern`, `otp.expectedSender`, `otp.contentPattern` the filter.
 */
export function otpPolicyInput(
  agent: Pick<AuthenticatedAgent, 'agentId' | 'agentName' | 'ownerId'>,
  row: Pick<
    OtpRequestRecord,
    'reason' | 'expected_sender' | 'sources' | 'sender_pattern' | 'content_pattern'
  >,
): PolicyInput {
  return {
    kind: 'otp',
    ownerId: agent.ownerId,
    action: 'otp.request',
    resource: `otp:${row.expected_sender ?? row.sender_pattern ?? '*'}`,
    scope: {},
    context: { reason: row.reason },
    agent: { id: agent.agentId, name: agent.agentName },
    otp: {
      sources: row.sources,
      senderPattern: row.sender_pattern,
      expectedSender: row.expected_sender,
      contentPattern: row.content_pattern,
    },
  };
}

/**
 * Runs a new (live-key) OTP request through the policy engine and applies an immediate
 * decision to the row before it is inserted: `auto_approve` → `approved`, `deny` →
 * `denied`, both decided by `policy:<name>` through the `policy` channel.
 *
 * @example
 * const { outcome, decider } = await applyOtpPolicy(ctx, agent, row);
 */
export async function applyOtpPolicy(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  row: OtpRequestRecord,
): Promise<OtpPolicyResult> {
  const outcome = await evaluatePolicies(ctx, otpPolicyInput(agent, row));
  if (!outcome.policy || outcome.decision === 'require_approval') return { outcome, decider: null };
  const decider: Actor = {
    type: 'policy',
    id: outcome.policy.id,
    label: `policy:${outcome.policy.name}`,
    channel: 'policy',
  };
  const approved = outcome.decision === 'auto_approve';
  Object.assign(row, {
    status: approved ? 'approved' : 'denied',
    decision: approved ? 'approved' : 'denied',
    decided_by: decider.label,
    decision_channel: decider.channel,
    decided_at: row.created_at,
    closed_at: approved ? null : row.created_at,
  } satisfies Partial<OtpRequestRecord>);
  return { outcome, decider };
}

/** What `otp.requested` records about the engine's verdict. */
export function policyAuditDetails(result: OtpPolicyResult | null): Record<string, unknown> {
  if (!result) return { policyDecision: 'skipped (test key)' };
  return {
    policyDecision: result.outcome.decision,
    policy: result.outcome.policy?.name ?? null,
    explanation: result.outcome.explanation,
    ...(result.outcome.failed.length ? { failedPolicies: result.outcome.failed } : {}),
  };
}
