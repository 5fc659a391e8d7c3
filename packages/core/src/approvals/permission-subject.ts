import type { OwnerPermissionRequest } from '@agent-otp/shared';
import { describePermission } from '@agent-otp/shared/stored-values';
import type { DecisionField, DecisionSubject } from './decisions.js';

const MAX_FIELD_TEXT = 1000;

function jsonText(value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  return text.length > MAX_FIELD_TEXT ? `${text.slice(0, MAX_FIELD_TEXT - 1)}…` : text;
}

/**
 * A permission request as every approval channel shows it: action, resource, the scope
 * that approving grants (a policy's template may have replaced the requested one, and then
 * both are shown), and the agent's reason.
 *
 * @example
 * const subject = permissionDecisionSubject(ownerId, request);
 */
export function permissionDecisionSubject(ownerId: string, r: OwnerPermissionRequest): DecisionSubject {
  const reason = typeof r.context.reason === 'string' ? r.context.reason : '(no reason given)';
  const { reason: _reason, ...otherContext } = r.context;
  const requestedDiffers = JSON.stringify(r.requestedScope) !== JSON.stringify(r.scope);
  // The reason is shown once, on its own; the scope and context read as plain lines in
  // `summary` (the JSON stays in the fields, for channels that show the exact text).
  const fields: DecisionField[] = [
    { label: 'Action', value: r.action },
    { label: 'Resource', value: r.resource },
    { label: 'Scope', value: jsonText(r.scope) },
    ...(requestedDiffers ? [{ label: 'Requested scope', value: jsonText(r.requestedScope) }] : []),
    ...(Object.keys(otherContext).length ? [{ label: 'Context', value: jsonText(otherContext) }] : []),
    ...(r.policy ? [{ label: 'Policy', value: r.policy.name }] : []),
  ];
  const summary = describePermission({
    action: r.action,
    resource: r.resource,
    scope: r.scope,
    ...(requestedDiffers ? { requestedScope: r.requestedScope } : {}),
    context: otherContext,
  });
  return {
    kind: 'permission',
    id: r.id,
    ownerId,
    agent: r.agent,
    status: r.status,
    pending: r.status === 'pending_approval',
    title: `${r.agent.name} requests permission: ${r.action} on ${r.resource}`,
    reason,
    fields,
    summary,
    details: {
      action: r.action,
      resource: r.resource,
      scope: r.scope,
      requestedScope: r.requestedScope,
      context: r.context,
    },
    agentKey: null,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    decision: r.decision,
    ...(r.denialReason === undefined ? {} : { denialReason: r.denialReason }),
    risk: r.risk,
  };
}
