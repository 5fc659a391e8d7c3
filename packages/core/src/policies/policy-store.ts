import { type LoadedPolicy, type PolicyRecord, selectOwnerPolicies } from '@agent-otp/db';
import { PolicyDefinition, type PolicyDefinitionInput } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { compilePolicy } from './compile-policy.js';
import type { CompiledPolicy } from './policy-types.js';

/** A stored record as the definition the owner wrote (before validation). */
export function storedDefinitionInput(row: PolicyRecord): PolicyDefinitionInput {
  return {
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    priority: row.priority,
    conditions: row.conditions as PolicyDefinitionInput['conditions'],
    action: row.action,
    // Stored JSON, re-validated by PolicyDefinition when compiled.
    ...(row.scope_template === null
      ? {}
      : { scopeTemplate: row.scope_template as PolicyDefinitionInput['scopeTemplate'] }),
    ...(row.risk === null ? {} : { risk: row.risk }),
    appliesTo: row.applies_to,
  };
}

/** A stored policy back into one the engine runs; one that no longer parses or compiles becomes a failing policy. */
export function compileStoredPolicy({ record: row, corrupt }: LoadedPolicy, order: number): CompiledPolicy {
  const placement = {
    id: row.id,
    source: 'database' as const,
    order,
    ownerId: row.owner_id,
    agentId: row.agent_id,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
  };
  try {
    if (corrupt) throw corrupt;
    // Validated by the definition's own schema, as a policy typed by the owner is.
    return compilePolicy(PolicyDefinition.parse(storedDefinitionInput(row)), placement);
  } catch (error) {
    return {
      ...placement,
      name: row.name,
      description: row.description,
      priority: row.priority,
      appliesTo: row.applies_to,
      conditions: [],
      rawConditions: {},
      action: row.action,
      scopeTemplate: null,
      risk: null,
      broken: `stored policy cannot be used: ${(error as Error).message.split('\n')[0]}`,
    };
  }
}

/**
 * An owner's database policies (enabled or not), oldest first, positioned after the file's.
 *
 * @example
 * const policies = await loadDatabasePolicies(ctx, ownerId, filePolicies.length);
 */
export async function loadDatabasePolicies(
  ctx: CoreContext,
  ownerId: string,
  firstOrder: number,
): Promise<CompiledPolicy[]> {
  const stored = await selectOwnerPolicies(ctx.database.db, ownerId);
  return stored.map((policy, index) => compileStoredPolicy(policy, firstOrder + index));
}
