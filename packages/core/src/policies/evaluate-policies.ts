import { comparePolicyDecisionOrder } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { conditionHolds } from './conditions.js';
import { loadDatabasePolicies } from './policy-store.js';
import type { CompiledPolicy, PolicyInput, PolicyOutcome } from './policy-types.js';

function applies(policy: CompiledPolicy, input: PolicyInput): boolean {
  if (!policy.enabled) return false;
  if (policy.appliesTo !== 'any' && policy.appliesTo !== input.kind) return false;
  if (policy.ownerId !== null && policy.ownerId !== input.ownerId) return false;
  return policy.agentId === null || policy.agentId === input.agent.id;
}

/**
 * The engine, as a pure function: the highest-priority matching policy decides; no match
 * means `require_approval`. Fail closed: if any applicable policy cannot be evaluated (a
 * broken stored policy, text too long for a pattern), the outcome is never `auto_approve`,
 * because the failing policy might have denied.
 *
 * @example
 * const outcome = evaluatePolicySet(policies, { kind: 'permission', action: 'bank.transfer', … });
 */
export function evaluatePolicySet(policies: readonly CompiledPolicy[], input: PolicyInput): PolicyOutcome {
  const failed: PolicyOutcome['failed'] = [];
  const matched: CompiledPolicy[] = [];
  for (const policy of policies) {
    if (!applies(policy, input)) continue;
    if (policy.broken) {
      failed.push({ policy: policy.name, error: policy.broken });
      continue;
    }
    try {
      if (policy.conditions.every((condition) => conditionHolds(condition, input))) matched.push(policy);
    } catch (error) {
      failed.push({ policy: policy.name, error: (error as Error).message });
    }
  }
  // Highest priority; at equal priority the more cautious action; then file order, then oldest.
  const winner = matched.sort(comparePolicyDecisionOrder)[0];
  const scope = winner?.scopeTemplate ?? input.scope;
  const risk = winner?.risk ?? null;
  const policy = winner
    ? { id: winner.id, name: winner.name, priority: winner.priority, source: winner.source }
    : null;
  if (!winner)
    return {
      decision: 'require_approval',
      policy,
      scope,
      risk,
      failed,
      explanation: failed.length
        ? 'no policy matched and some could not be evaluated: the owner decides'
        : 'no policy matched: the owner decides',
    };
  if (winner.action === 'auto_approve' && failed.length > 0)
    return {
      decision: 'require_approval',
      policy,
      scope,
      risk,
      failed,
      explanation: `"${winner.name}" would auto-approve, but ${failed.length} polic${failed.length === 1 ? 'y' : 'ies'} could not be evaluated: the owner decides`,
    };
  return {
    decision: winner.action,
    policy,
    scope,
    risk,
    failed,
    explanation: `"${winner.name}" (priority ${winner.priority}) matched: ${winner.action}`,
  };
}

/**
 * Evaluates a request against POLICY_FILE (`ctx.policies`) and the owner's database policies.
 * A database that cannot be read throws: the caller's request fails rather than being
 * decided without the owner's rules.
 *
 * @example
 * const outcome = await evaluatePolicies(ctx, input);
 * if (outcome.decision === 'deny') …
 */
export async function evaluatePolicies(ctx: CoreContext, input: PolicyInput): Promise<PolicyOutcome> {
  const stored = await loadDatabasePolicies(ctx, input.ownerId, (ctx.policies?.policies.length ?? 0) + 1);
  return evaluatePolicySet([...(ctx.policies?.policies ?? []), ...stored], input);
}
