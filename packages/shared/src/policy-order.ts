import type { PolicyAction } from './schemas/policies.js';

/** Ties at one priority go to the more cautious action. */
const CAUTION: Readonly<Record<PolicyAction, number>> = { deny: 0, require_approval: 1, auto_approve: 2 };

/** What the decision order looks at; `order` is the tie-break position (file order, then oldest). */
export interface PolicyOrderKey {
  priority: number;
  action: PolicyAction;
  order: number;
}

/**
 * The engine's decision order, shared with the dashboard's list so both agree on which policy
 * wins: highest priority first; at equal priority the more cautious action; then `order`.
 *
 * @example
 * policies.sort(comparePolicyDecisionOrder);
 */
export function comparePolicyDecisionOrder(a: PolicyOrderKey, b: PolicyOrderKey): number {
  return b.priority - a.priority || CAUTION[a.action] - CAUTION[b.action] || a.order - b.order;
}
