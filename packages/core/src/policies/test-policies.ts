import { findOwnerAgentByIdOrName } from '@agent-otp/db';
import { AppError, type PolicyEvaluation, type PolicyTestBody } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { evaluatePolicies } from './evaluate-policies.js';

/**
 * Dry run: what the engine would decide for a request, with the winning policy and the
 * scope it would grant. Nothing is stored. The agent (by ID or name) must be the owner's;
 * without one, agent-specific policies do not apply.
 *
 * @example
 * const result = await testPolicies(ctx, ownerId, { kind: 'permission', action: 'bank.transfer', resource: 'acct:1', scope: {}, context: {} });
 */
export async function testPolicies(
  ctx: CoreContext,
  ownerId: string,
  body: PolicyTestBody & { agentName?: string | undefined },
): Promise<PolicyEvaluation> {
  let agent = { id: '', name: '' };
  if (body.agentId || body.agentName) {
    const row = await findOwnerAgentByIdOrName(
      ctx.database.db,
      ownerId,
      body.agentId ? { id: body.agentId } : { name: body.agentName ?? '' },
    );
    if (!row) throw new AppError('NOT_FOUND', `no agent ${body.agentId ?? body.agentName}`);
    agent = row;
  }
  const outcome = await evaluatePolicies(ctx, {
    kind: body.kind,
    ownerId,
    action: body.action,
    resource: body.resource,
    scope: body.scope,
    context: body.context,
    agent,
    ...(body.kind === 'otp'
      ? {
          otp: {
            sources: body.otp?.sources ?? ['sms', 'email'],
            senderPattern: body.otp?.senderPattern ?? null,
            expectedSender: body.otp?.expectedSender ?? null,
            contentPattern: body.otp?.contentPattern ?? null,
          },
        }
      : {}),
  });
  return outcome;
}
