import {
  type ConditionOperator,
  compileSafePattern,
  type PolicyDefinition,
  type PolicyTarget,
} from '@agent-otp/shared';
import type { CompiledCondition, CompiledPolicy } from './policy-types.js';

/** A policy definition the engine cannot use; the message says why. */
export class PolicyDefinitionError extends Error {
  override readonly name = 'PolicyDefinitionError';
  constructor(
    message: string,
    /** Where in the definition, as a path from the policy (for pointing at a YAML line). */
    readonly path: ReadonlyArray<string | number> = [],
  ) {
    super(message);
  }
}

/** Default target: a policy that tests `otp.*` is about OTP requests, any other about permissions. */
export function inferTarget(definition: Pick<PolicyDefinition, 'conditions' | 'appliesTo'>): PolicyTarget {
  if (definition.appliesTo) return definition.appliesTo;
  return Object.keys(definition.conditions).some((path) => path.startsWith('otp.')) ? 'otp' : 'permission';
}

/**
 * Turns a validated definition into what the engine evaluates: patterns compiled once, the
 * target settled, inconsistencies refused (an `otp.*` condition on a permission-only policy
 * could never hold, which is almost certainly a mistake).
 *
 * @example
 * const policy = compilePolicy(definition, { id: 'file:1', source: 'file', order: 0 });
 */
export function compilePolicy(
  definition: PolicyDefinition,
  placement: Pick<CompiledPolicy, 'id' | 'source' | 'order'> &
    Partial<Pick<CompiledPolicy, 'ownerId' | 'agentId' | 'enabled' | 'createdAt'>>,
): CompiledPolicy {
  const appliesTo = inferTarget(definition);
  const conditions: CompiledCondition[] = [];
  for (const [path, operators] of Object.entries(definition.conditions)) {
    if (path.startsWith('otp.') && appliesTo === 'permission')
      throw new PolicyDefinitionError(`${path} exists only for OTP requests; set appliesTo: otp or any`, [
        'conditions',
        path,
      ]);
    conditions.push({
      path,
      operators: operators as Partial<Record<ConditionOperator, unknown>>,
      pattern: operators.matches === undefined ? null : compileSafePattern(operators.matches),
    });
  }
  return {
    id: placement.id,
    source: placement.source,
    name: definition.name,
    description: definition.description ?? null,
    priority: definition.priority,
    appliesTo,
    conditions,
    rawConditions: definition.conditions as Record<string, Record<string, unknown>>,
    action: definition.action,
    scopeTemplate: definition.scopeTemplate ?? null,
    risk: definition.risk ?? null,
    ownerId: placement.ownerId ?? null,
    agentId: placement.agentId ?? null,
    enabled: placement.enabled ?? true,
    createdAt: placement.createdAt ?? null,
    order: placement.order,
    broken: null,
  };
}
