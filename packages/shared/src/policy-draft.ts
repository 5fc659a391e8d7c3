import type { DecisionSubjectResponse } from './schemas/approvals.js';
import type { PolicyDefinitionInput } from './schemas/policies.js';

// "Always allow like this" (issue 15): the policy that would auto-approve the next request
// identical to this one, as a draft the owner edits before saving. The same draft is offered
// on the dashboard card and in Telegram, so both create the same rule. Pure: no I/O.

/** A condition the draft proposes: a policy path and its operators. */
export type DraftConditions = Record<string, Record<string, unknown>>;

/** The body of `POST /api/v1/policies` that "always allow like this" proposes. */
export interface AlwaysAllowDraft extends PolicyDefinitionInput {
  agentId: string;
  conditions: DraftConditions;
}

const NAME_MAX = 200;

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPrimitiveList(value: unknown): value is (string | number | boolean)[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPrimitive);
}

/**
 * A scope key as a condition that accepts this request's value and nothing broader: a limit
 * (`max_*`) the same or tighter, a list (`allowed_*`) within the same items, every other
 * plain value the same. Nested objects are left to the owner (no condition proposed).
 */
function scopeCondition(key: string, value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'number' && key.startsWith('max_')) return { lessThanOrEqual: value };
  if (isPrimitive(value)) return { equals: value };
  if (isPrimitiveList(value)) return { in: value };
  return undefined;
}

function permissionConditions(details: Record<string, unknown>): DraftConditions {
  const conditions: DraftConditions = {};
  if (typeof details.action === 'string') conditions.action = { equals: details.action };
  if (typeof details.resource === 'string') conditions.resource = { equals: details.resource };
  // The agent's own ask (before any policy template): the next request is compared with it.
  const scope = details.requestedScope ?? details.scope;
  if (scope && typeof scope === 'object' && !Array.isArray(scope))
    for (const [key, value] of Object.entries(scope)) {
      const condition = scopeCondition(key, value);
      if (condition) conditions[`scope.${key}`] = condition;
    }
  return conditions;
}

function otpConditions(details: Record<string, unknown>): DraftConditions {
  const conditions: DraftConditions = {};
  // No sender pattern means "any sender": the rule then only covers requests as broad.
  conditions['otp.senderPattern'] =
    typeof details.senderPattern === 'string' ? { equals: details.senderPattern } : { exists: false };
  if (isPrimitiveList(details.sources)) conditions['otp.sources'] = { in: details.sources };
  if (typeof details.contentPattern === 'string')
    conditions['otp.contentPattern'] = { equals: details.contentPattern };
  return conditions;
}

function draftName(subject: DecisionSubjectResponse): string {
  const details = subject.details;
  const name =
    subject.kind === 'permission'
      ? `Always allow ${subject.agent.name}: ${String(details.action)} on ${String(details.resource)}`
      : `Always allow ${subject.agent.name}: codes from ${typeof details.senderPattern === 'string' ? details.senderPattern : 'any sender'}`;
  return name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1)}…` : name;
}

/**
 * The policy that auto-approves the next request like this one: same agent, same kind, same
 * action and resource (permissions) or sender pattern and sources (codes), and a scope no
 * broader than this one's.
 *
 * @example
 * const draft = alwaysAllowDraft(subject);
 * // { name: 'Always allow mailer: gmail.send on email:a@b.com', action: 'auto_approve', appliesTo: 'permission', agentId: 'agt_…', conditions: { action: { equals: 'gmail.send' }, … } }
 */
export function alwaysAllowDraft(subject: DecisionSubjectResponse): AlwaysAllowDraft {
  return {
    name: draftName(subject),
    description: `Created with "Always allow like this" from request ${subject.id}.`,
    priority: 0,
    action: 'auto_approve',
    appliesTo: subject.kind,
    agentId: subject.agent.id,
    conditions:
      subject.kind === 'permission' ? permissionConditions(subject.details) : otpConditions(subject.details),
  };
}

/** A condition operator in words ("at most"), one wording for the dashboard form and Telegram. */
export const CONDITION_OPERATOR_WORDS: Readonly<Record<string, string>> = {
  equals: 'is',
  notEquals: 'is not',
  startsWith: 'starts with',
  endsWith: 'ends with',
  contains: 'contains',
  matches: 'matches',
  in: 'within',
  notIn: 'not within',
  lessThan: 'below',
  lessThanOrEqual: 'at most',
  greaterThan: 'above',
  greaterThanOrEqual: 'at least',
};
/**
 * One condition in words, for the form and the Telegram confirmation: "action equals gmail.send".
 *
 * @example
 * describeCondition('scope.max_emails', { lessThanOrEqual: 1 }); // 'scope.max_emails at most 1'
 */
export function describeCondition(path: string, operators: Record<string, unknown>): string {
  return Object.entries(operators)
    .map(([operator, operand]) => {
      if (operator === 'exists') return operand ? `${path} is set` : `${path} is not set`;
      const text = Array.isArray(operand) ? operand.map(String).join(', ') : String(operand);
      return `${path} ${CONDITION_OPERATOR_WORDS[operator] ?? operator} ${text}`;
    })
    .join(' and ');
}
