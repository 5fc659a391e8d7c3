import type { PolicyRow } from '@agent-otp/db';
import { PolicyDefinition, type PolicyDefinitionInput } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { compilePolicy } from './compile-policy.js';
import type { CompiledPolicy } from './policy-types.js';

/** A stored row back into a policy; a row that no longer compiles becomes a failing policy. */
export function compileStoredPolicy(row: PolicyRow, order: number): CompiledPolicy {
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
    const input: PolicyDefinitionInput = {
      name: row.name,
      ...(row.description === null ? {} : { description: row.description }),
      priority: row.priority,
      conditions: JSON.parse(row.conditions),
      action: row.action,
      ...(row.scope_template === null ? {} : { scopeTemplate: JSON.parse(row.scope_template) }),
      appliesTo: row.applies_to,
    };
    return compilePolicy(PolicyDefinition.parse(input), placement);
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
  const rows = await ctx.database.db
    .selectFrom('policies')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((row, index) => compileStoredPolicy(row, firstOrder + index));
}
