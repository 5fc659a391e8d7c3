import { deleteOwnerPolicy, insertPolicy, selectOwnerAgentNames, withTransaction } from '@agent-otp/db';
import { AppError, type Policy, type PolicyDefinition } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { compilePolicy, PolicyDefinitionError } from './compile-policy.js';
import { loadDatabasePolicies } from './policy-store.js';
import type { CompiledPolicy } from './policy-types.js';

/** A compiled policy as the owner API and CLI show it. */
export function toApiPolicy(policy: CompiledPolicy, agentNames: ReadonlyMap<string, string>): Policy {
  return {
    id: policy.id,
    source: policy.source,
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    appliesTo: policy.appliesTo,
    conditions: policy.rawConditions,
    action: policy.action,
    scopeTemplate: policy.scopeTemplate,
    risk: policy.risk,
    agent: policy.agentId
      ? { id: policy.agentId, name: agentNames.get(policy.agentId) ?? policy.agentId }
      : null,
    enabled: policy.enabled,
    createdAt: policy.createdAt,
  };
}

/** The columns a compiled policy is stored in, the same on create and on update. */
export function policyColumns(compiled: CompiledPolicy) {
  return {
    agent_id: compiled.agentId,
    name: compiled.name,
    description: compiled.description,
    applies_to: compiled.appliesTo,
    priority: compiled.priority,
    conditions: compiled.rawConditions,
    action: compiled.action,
    scope_template: compiled.scopeTemplate ?? null,
    risk: compiled.risk,
  };
}

/** The owner's agents by ID, for naming a policy's agent and refusing someone else's. */
export async function agentNamesOf(ctx: CoreContext, ownerId: string): Promise<Map<string, string>> {
  const rows = await selectOwnerAgentNames(ctx.database.db, ownerId);
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** {@link compilePolicy} for the owner API: an unusable definition is a VALIDATION_ERROR naming where. */
export function compileForOwner(
  definition: PolicyDefinition,
  placement: Parameters<typeof compilePolicy>[1],
): CompiledPolicy {
  try {
    return compilePolicy(definition, placement);
  } catch (error) {
    if (error instanceof PolicyDefinitionError)
      throw new AppError('VALIDATION_ERROR', `${error.path.join('.')}: ${error.message}`);
    throw error;
  }
}

/**
 * Stores a policy for an owner (optionally for one agent of theirs) and audits it. The
 * definition is compiled first, so an unusable policy is refused with VALIDATION_ERROR.
 *
 * @example
 * await createPolicy(ctx, { ownerId, definition, agentId, actor });
 */
export async function createPolicy(
  ctx: CoreContext,
  options: { ownerId: string; definition: PolicyDefinition; agentId?: string | undefined; actor: Actor },
): Promise<Policy> {
  const names = await agentNamesOf(ctx, options.ownerId);
  if (options.agentId && !names.has(options.agentId))
    throw new AppError('NOT_FOUND', `no agent ${options.agentId}`);
  const id = newId('pol');
  const createdAt = nowIso(ctx);
  const compiled = compileForOwner(options.definition, {
    id,
    source: 'database',
    order: 0,
    ownerId: options.ownerId,
    agentId: options.agentId ?? null,
    createdAt,
  });
  await withTransaction(ctx.database, async (tx) => {
    await insertPolicy(tx, {
      id,
      owner_id: options.ownerId,
      ...policyColumns(compiled),
      enabled: 1,
      created_at: createdAt,
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'policy.created',
      targetId: id,
      details: {
        name: compiled.name,
        agentId: compiled.agentId,
        priority: compiled.priority,
        appliesTo: compiled.appliesTo,
        conditions: compiled.rawConditions,
        decision: compiled.action,
        scopeTemplate: compiled.scopeTemplate,
        ...(compiled.risk ? { risk: compiled.risk } : {}),
      },
    });
  });
  return toApiPolicy(compiled, names);
}

/**
 * Every policy that governs an owner's requests: POLICY_FILE's first (read-only), then
 * the database's, oldest first (the tie-break order).
 *
 * @example
 * const policies = await listPolicies(ctx, ownerId);
 */
export async function listPolicies(ctx: CoreContext, ownerId: string): Promise<Policy[]> {
  const names = await agentNamesOf(ctx, ownerId);
  const filePolicies = ctx.policies?.policies ?? [];
  const stored = await loadDatabasePolicies(ctx, ownerId, filePolicies.length);
  return [...filePolicies, ...stored].map((policy) => toApiPolicy(policy, names));
}

/** POLICY_FILE's policies are read-only through the API and the CLI: the file is their source. */
export function refuseFilePolicy(id: string): void {
  if (id.startsWith('file:'))
    throw new AppError(
      'CONFLICT',
      `${id} comes from POLICY_FILE and is read-only here; edit the file and restart the relay to change it`,
    );
}

/**
 * Deletes one of an owner's database policies; the audit log keeps what it said.
 * File policies change only by editing POLICY_FILE and restarting.
 *
 * @example
 * await removePolicy(ctx, { ownerId, id: 'pol_01J…', actor });
 */
export async function removePolicy(
  ctx: CoreContext,
  options: { ownerId: string; id: string; actor: Actor },
): Promise<void> {
  refuseFilePolicy(options.id);
  const removed = await withTransaction(ctx.database, async (tx) => {
    const removed = await deleteOwnerPolicy(tx, options.ownerId, options.id);
    if (!removed) return false;
    const row = removed.record;
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'policy.removed',
      targetId: options.id,
      details: {
        name: row.name,
        decision: row.action,
        priority: row.priority,
        // A policy whose stored JSON no longer parses can still be removed; its conditions are lost.
        conditions: 'conditions' in row ? row.conditions : null,
      },
    });
    return true;
  });
  if (!removed) throw new AppError('NOT_FOUND', `no policy ${options.id}`);
}
