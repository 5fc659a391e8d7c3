import { CONDITION_OPERATOR_WORDS, CONDITION_OPERATORS } from '@agent-otp/shared';

// A policy's conditions as form rows (path, operator, operand as typed) and back, for the
// Policies page's editor. Pure: no I/O.

/** Every operator the engine knows, in the order the editor offers them: the contract's list. */
export const EDITOR_OPERATORS = CONDITION_OPERATORS;

/** The paths a condition may test, offered as suggestions (scope.* and context.* take any key). */
export const SUGGESTED_PATHS = [
  'action',
  'resource',
  'kind',
  'agent.name',
  'agent.id',
  'scope.',
  'context.',
  'otp.sources',
  'otp.senderPattern',
  'otp.expectedSender',
  'otp.contentPattern',
];

const LIST_OPERATORS = new Set(['in', 'notIn']);
const NUMBER_OPERATORS = new Set(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual']);
const TEXT_OPERATORS = new Set(['startsWith', 'endsWith', 'matches']);

/** One condition as the editor holds it; lists are typed comma-separated. */
export interface ConditionRow {
  key: number;
  path: string;
  operator: string;
  text: string;
}

/** The operator in words for the editor's select ("at most"); `exists` reads as "is set". */
export function operatorWords(operator: string): string {
  return operator === 'exists'
    ? 'is set (true) or not (false)'
    : (CONDITION_OPERATOR_WORDS[operator] ?? operator);
}

let nextKey = 1;

/** A blank row for "Add condition". */
export function emptyRow(): ConditionRow {
  return { key: nextKey++, path: 'action', operator: 'equals', text: '' };
}

function textOf(operand: unknown): string {
  return Array.isArray(operand) ? operand.map(String).join(', ') : String(operand);
}

/** Conditions as the API lists them, one row per operator. */
export function rowsOf(conditions: Record<string, Record<string, unknown>>): ConditionRow[] {
  const rows: ConditionRow[] = [];
  for (const [path, operators] of Object.entries(conditions))
    for (const [operator, operand] of Object.entries(operators))
      rows.push({ key: nextKey++, path, operator, text: textOf(operand) });
  return rows;
}

/** "12" is the number 12 and "true" the boolean; anything else stays text. */
function literal(text: string): string | number | boolean | null {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return text;
}

function operandOf(row: ConditionRow): unknown {
  if (row.operator === 'exists') return row.text.trim() !== 'false';
  if (LIST_OPERATORS.has(row.operator))
    return row.text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0)
      .map(literal);
  // A number the relay cannot read as one is sent as typed, so its message says what is wrong.
  if (NUMBER_OPERATORS.has(row.operator)) return literal(row.text);
  if (TEXT_OPERATORS.has(row.operator)) return row.text;
  return literal(row.text);
}

/** Rows back to the API's conditions; rows at one path join into one operator object. */
export function conditionsOf(rows: readonly ConditionRow[]): Record<string, Record<string, unknown>> {
  const conditions: Record<string, Record<string, unknown>> = {};
  for (const row of rows) {
    const path = row.path.trim();
    conditions[path] = { ...conditions[path], [row.operator]: operandOf(row) };
  }
  return conditions;
}
