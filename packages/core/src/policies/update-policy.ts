import { selectOwnerPolicy, updateOwnerPolicy, withTransaction } from '@agent-otp/db';
import {
  AppError,
  type Policy,
  PolicyDefinition,
  type PolicyDefinitionInput,
  type UpdatePolicyBody,
} from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import {
  agentNamesOf,
  compileForOwner,
  policyColumns,
  refuseFilePolicy,
  toApiPolicy,
} from './manage-policies.js';
import { compileStoredPolicy, storedDefinitionInput } from './policy-store.js';
import type { CompiledPolicy } from './policy-types.js';

/** The stored policy's fields an update compares, as the API names them. */
type Comparable = Pick<
  Policy,
  | 'name'
  | 'description'
  | 'priority'
  | 'conditions'
  | 'action'
  | 'scopeTemplate'
  | 'appliesTo'
  | 'risk'
  | 'enabled'
> & { agentId: string | null };

function comparableOf(policy: CompiledPolicy): Comparable {
  return {
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    conditions: policy.rawConditions,
    action: policy.action,
    scopeTemplate: policy.scopeTemplate,
    appliesTo: policy.appliesTo,
    risk: policy.risk,
    agentId: policy.agentId,
    enabled: policy.enabled,
  };
}

/** Each field that differs, with its old and new value (policies hold no secrets). */
function changesBetween(
  before: Comparable,
  after: Comparable,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof Comparable)[])
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  return changes;
}

/** The stored definition with the body's fields laid over it; `null` clears an optional field. */
function mergedDefinition(stored: PolicyDefinitionInput, body: UpdatePolicyBody): PolicyDefinition {
  const { agentId: _agent, enabled: _enabled, ...fields } = body;
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const parsed = PolicyDefinition.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'VALIDATION_ERROR',
      `body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * Changes one of an owner's database policies: its definition, its agent, its priority, or
 * whether it is enabled. The merged policy is compiled like a new one (VALIDATION_ERROR
 * naming where), stored and audited as `policy.updated` with each changed field, in one
 * transaction; it applies from the next request. POLICY_FILE's policies are refused
 * (CONFLICT: edit the file); another owner's policy is NOT_FOUND.
 *
 * @example
 * await updatePolicy(ctx, { ownerId, id: 'pol_01J…', changes: { enabled: false }, actor });
 */
export async function updatePolicy(
  ctx: CoreContext,
  options: { ownerId: string; id: string; changes: UpdatePolicyBody; actor: Actor },
): Promise<Policy> {
  refuseFilePolicy(options.id);
  const names = await agentNamesOf(ctx, options.ownerId);
  const { agentId, enabled } = options.changes;
  if (agentId && !names.has(agentId)) throw new AppError('NOT_FOUND', `no agent ${agentId}`);
  return withTransaction(ctx.database, async (tx) => {
    const loaded = await selectOwnerPolicy(tx, options.ownerId, options.id);
    if (!loaded) throw new AppError('NOT_FOUND', `no policy ${options.id}`);
    const { record, corrupt } = loaded;
    // A row whose JSON no longer parses can be repaired, but only by restating what was lost.
    if (corrupt && (options.changes.conditions === undefined || options.changes.scopeTemplate === undefined))
      throw new AppError(
        'VALIDATION_ERROR',
        `body: the stored policy ${options.id} cannot be read (${corrupt.message}); send conditions and scopeTemplate (null for none) to replace it`,
      );
    const stored = storedDefinitionInput(
      corrupt ? { ...record, conditions: {}, scope_template: null } : record,
    );
    const compiled = compileForOwner(mergedDefinition(stored, options.changes), {
      id: record.id,
      source: 'database',
      order: 0,
      ownerId: options.ownerId,
      agentId: agentId === undefined ? record.agent_id : agentId,
      enabled: enabled ?? record.enabled === 1,
      createdAt: record.created_at,
    });
    // As the engine saw it until now (a policy it could not use is marked broken, never thrown).
    const before = compileStoredPolicy(loaded, 0);
    const changes: Record<string, unknown> = changesBetween(comparableOf(before), comparableOf(compiled));
    if (before.broken) changes.repaired = { from: before.broken, to: null };
    if (Object.keys(changes).length === 0) return toApiPolicy(compiled, names);
    await updateOwnerPolicy(tx, options.ownerId, options.id, {
      ...policyColumns(compiled),
      enabled: compiled.enabled ? 1 : 0,
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'policy.updated',
      targetId: options.id,
      details: { name: compiled.name, changes },
    });
    return toApiPolicy(compiled, names);
  });
}
