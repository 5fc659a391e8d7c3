import type { PermissionRequestRecord } from '@agent-otp/db';
import { type CreatePermissionRequestBody, PERMISSION_TTL, type PermissionRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { evaluatePolicies } from '../policies/evaluate-policies.js';
import { insertRequest } from '../requests/insert-request.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { assessPermissionRisk } from '../risk/assess-new-request.js';
import { newSecret } from '../secrets.js';
import { acceptWebhookUrl } from '../webhooks/accept-webhook-url.js';
import { policyActor, toApiPermission } from './permission-row.js';

/** How many uses a scope grants: `max_uses`, otherwise one. */
export function usesGrantedBy(scope: Record<string, unknown>): number {
  const uses = scope.max_uses;
  return typeof uses === 'number' && Number.isInteger(uses) && uses > 0 ? uses : 1;
}

/**
 * Creates a permission request and lets the policy engine decide at once: `auto_approve`
 * approves it and mints the token, which this response carries (its only appearance);
 * `deny` denies it; otherwise it waits for the owner. The granted scope is the winning
 * policy's scopeTemplate, or the requested scope. An agent holding OPEN_REQUESTS_PER_AGENT
 * open permission requests gets RATE_LIMITED instead.
 *
 * @example
 * const request = await createPermissionRequest(ctx, agent, { action: 'gmail.send', resource: 'email:a@b.c' });
 */
export async function createPermissionRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  body: CreatePermissionRequestBody,
): Promise<PermissionRequest> {
  const requestedScope = body.scope ?? {};
  const context = body.context ?? {};
  const ttl = body.ttl ?? PERMISSION_TTL.default;
  const webhookUrl = await acceptWebhookUrl(ctx, agent.agentId, body.webhookUrl);
  const outcome = await evaluatePolicies(ctx, {
    kind: 'permission',
    ownerId: agent.ownerId,
    action: body.action,
    resource: body.resource,
    scope: requestedScope,
    context,
    agent: { id: agent.agentId, name: agent.agentName },
  });
  const risk = await assessPermissionRisk(
    ctx,
    agent.ownerId,
    { action: body.action, resource: body.resource, scope: requestedScope, context },
    outcome,
  );
  const now = ctx.clock.now();
  const createdAt = now.toISOString();
  const uses = usesGrantedBy(outcome.scope);
  const token = outcome.decision === 'auto_approve' ? newSecret('otp') : null;
  const row: PermissionRequestRecord = {
    id: newId('prm'),
    owner_id: agent.ownerId,
    agent_id: agent.agentId,
    api_key_id: agent.keyId,
    status: 'pending_approval',
    action: body.action,
    resource: body.resource,
    requested_scope: requestedScope,
    granted_scope: outcome.scope,
    context,
    ttl_seconds: ttl,
    policy_id: outcome.policy?.id ?? null,
    policy_name: outcome.policy?.name ?? null,
    decision: null,
    decided_by: null,
    decision_channel: null,
    decided_at: null,
    denial_reason: null,
    token_hash: token?.hash ?? null,
    token_handed_out: token ? 1 : 0,
    uses_granted: uses,
    uses_remaining: uses,
    created_at: createdAt,
    expires_at: new Date(now.getTime() + ttl * 1000).toISOString(),
    last_used_at: null,
    closed_at: null,
    webhook_url: webhookUrl,
    risk,
  };
  const decider =
    outcome.policy && outcome.decision !== 'require_approval' ? policyActor(outcome.policy) : null;
  if (decider) {
    Object.assign(row, {
      status: outcome.decision === 'auto_approve' ? 'approved' : 'denied',
      decision: outcome.decision === 'auto_approve' ? 'approved' : 'denied',
      decided_by: decider.label,
      decision_channel: decider.channel,
      decided_at: createdAt,
      closed_at: outcome.decision === 'deny' ? createdAt : null,
    } satisfies Partial<PermissionRequestRecord>);
  }
  const requester = agentActor(agent);

  await insertRequest(ctx, PERMISSION_REQUESTS, row, [
    {
      actor: requester,
      action: 'requested',
      details: {
        action: row.action,
        resource: row.resource,
        requestedScope,
        context,
        ttl,
        policyDecision: outcome.decision,
        policy: outcome.policy?.name ?? null,
        explanation: outcome.explanation,
        risk: risk.level,
        ...(outcome.failed.length ? { failedPolicies: outcome.failed } : {}),
      },
    },
    ...(decider
      ? [
          {
            actor: decider,
            action: row.status === 'approved' ? 'approved' : 'denied',
            details: { policyId: outcome.policy?.id, grantedScope: outcome.scope, uses },
          },
        ]
      : []),
    ...(token
      ? [{ actor: requester, action: 'token_issued', details: { uses, expiresAt: row.expires_at } }]
      : []),
  ]);
  return toApiPermission(ctx, row, token?.secret);
}
