import { testSafePattern, UnsafePatternError } from '@agent-otp/shared';
import type { CompiledCondition, PolicyInput } from './policy-types.js';

/** A condition that cannot be evaluated; the engine then refuses to auto-approve. */
export class PolicyEvaluationError extends Error {
  override readonly name = 'PolicyEvaluationError';
}

/** The value at a dotted path (`scope.size_limit`, `agent.name`), or undefined. */
export function valueAtPath(input: PolicyInput, path: string): unknown {
  let current: unknown = input;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

type Primitive = string | number | boolean | null;
const isPrimitive = (v: unknown): v is Primitive =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function compareNumbers(value: unknown, operand: unknown, test: (a: number, b: number) => boolean): boolean {
  return (
    typeof value === 'number' && Number.isFinite(value) && typeof operand === 'number' && test(value, operand)
  );
}

function matchesPattern(condition: CompiledCondition, value: unknown): boolean {
  if (!condition.pattern) throw new PolicyEvaluationError(`${condition.path}: pattern was not compiled`);
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    return testSafePattern(condition.pattern, String(value));
  } catch (error) {
    // Too long to check safely: neither a match nor a non-match can be trusted.
    if (error instanceof UnsafePatternError)
      throw new PolicyEvaluationError(`${condition.path}: ${error.message}`);
    throw error;
  }
}

/** Whether one operator holds for a present value. */
function operatorHolds(
  condition: CompiledCondition,
  operator: string,
  operand: unknown,
  value: unknown,
): boolean {
  switch (operator) {
    case 'exists':
      return true; // handled by the caller; a present value exists
    case 'equals':
      return isPrimitive(value) && value === operand;
    case 'notEquals':
      return !(isPrimitive(value) && value === operand);
    case 'startsWith':
      return typeof value === 'string' && value.startsWith(String(operand));
    case 'endsWith':
      return typeof value === 'string' && value.endsWith(String(operand));
    case 'contains':
      if (Array.isArray(value)) return value.some((element) => element === operand);
      return typeof value === 'string' && value.includes(String(operand));
    case 'matches':
      return matchesPattern(condition, value);
    case 'in': {
      const list = operand as Primitive[];
      if (Array.isArray(value)) return value.length > 0 && value.every((element) => list.includes(element));
      return isPrimitive(value) && list.includes(value);
    }
    case 'notIn': {
      const list = operand as Primitive[];
      if (Array.isArray(value)) return value.every((element) => !list.includes(element));
      return isPrimitive(value) && !list.includes(value);
    }
    case 'lessThan':
      return compareNumbers(value, operand, (a, b) => a < b);
    case 'lessThanOrEqual':
      return compareNumbers(value, operand, (a, b) => a <= b);
    case 'greaterThan':
      return compareNumbers(value, operand, (a, b) => a > b);
    case 'greaterThanOrEqual':
      return compareNumbers(value, operand, (a, b) => a >= b);
    default:
      throw new PolicyEvaluationError(`${condition.path}: unknown operator ${operator}`);
  }
}

/**
 * Whether a condition holds. A missing (or null) value satisfies only `exists: false`: a
 * rule about a value the request does not carry does not apply. Wrong types never match.
 *
 * @example
 * conditionHolds({ path: 'action', operators: { startsWith: 'bank.' }, pattern: null }, input);
 */
export function conditionHolds(condition: CompiledCondition, input: PolicyInput): boolean {
  const value = valueAtPath(input, condition.path);
  const present = value !== undefined && value !== null;
  for (const [operator, operand] of Object.entries(condition.operators)) {
    if (operand === undefined) continue;
    if (operator === 'exists') {
      if (present !== operand) return false;
      continue;
    }
    if (!present) return false;
    if (!operatorHolds(condition, operator, operand, value)) return false;
  }
  return true;
}
