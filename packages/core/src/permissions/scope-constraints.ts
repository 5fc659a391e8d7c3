import { compileSafePattern, testSafePattern, UnsafePatternError } from '@agent-otp/shared';

/** The field a scope key constrains, for the keys the relay enforces on use; null for the rest. */
function constrainedField(key: string, limit: unknown): string | null {
  if (key.startsWith('max_') && key !== 'max_uses' && typeof limit === 'number') return key.slice(4);
  if (key.endsWith('_pattern') && typeof limit === 'string') return key.slice(0, -'_pattern'.length);
  if (key.startsWith('allowed_') && Array.isArray(limit)) return key.slice(8);
  return null;
}

/** The violation of one enforced rule by a reported value, or null. */
function ruleViolation(key: string, limit: unknown, field: string, value: unknown): string | null {
  if (key.startsWith('max_')) {
    const amount = Array.isArray(value) ? value.length : value;
    if (typeof amount !== 'number' || !Number.isFinite(amount))
      return `${field} must be a number or a list (scope ${key})`;
    return amount > (limit as number) ? `${field} is ${amount}, more than ${key} = ${limit}` : null;
  }
  if (key.endsWith('_pattern')) {
    if (typeof value !== 'string') return `${field} must be text to check against ${key}`;
    try {
      return testSafePattern(compileSafePattern(limit as string), value)
        ? null
        : `${field} does not match ${key}`;
    } catch (error) {
      if (error instanceof UnsafePatternError)
        return `${field} cannot be checked against ${key}: ${error.message}`;
      throw error;
    }
  }
  const values = Array.isArray(value) ? value : [value];
  const outside = values.find((v) => !(limit as unknown[]).includes(v));
  return outside === undefined ? null : `${field} ${JSON.stringify(outside)} is not in ${key}`;
}

/**
 * Checks one use's `actionDetails` against the granted scope, returning the first violation
 * or null. Rules (docs/permissions.md):
 * - `max_<field>` (except `max_uses`): a number in `actionDetails.<field>` must be ≤ the
 *   limit; a list must have at most that many entries.
 * - `<field>_pattern`: `actionDetails.<field>` must be text matching the regex.
 * - `allowed_<field>`: `actionDetails.<field>` (or every entry of a list) must be in the list.
 * - `require_details`: these fields must be present.
 * A rule whose field the use does not report (absent or null) fails closed: the relay cannot
 * vouch for what it was not told, and a misspelt field (`extension` for `extensions`) must not
 * slip past the rule. Any other scope key is informational (shown to the approver, returned
 * by verify).
 *
 * @example
 * scopeViolation({ subject_pattern: '^Invoice' }, { subject: 'Hello' }); // 'subject does not match …'
 * scopeViolation({ allowed_extensions: ['.md'] }, { extension: '.md' }); // 'actionDetails must report extensions …'
 */
export function scopeViolation(
  scope: Record<string, unknown>,
  details: Record<string, unknown>,
): string | null {
  const has = (field: string) =>
    Object.hasOwn(details, field) && details[field] !== undefined && details[field] !== null;
  for (const [key, limit] of Object.entries(scope)) {
    if (key === 'require_details' && Array.isArray(limit)) {
      const missing = limit.filter((field) => typeof field === 'string' && !has(field));
      if (missing.length) return `actionDetails must report ${missing.join(', ')}`;
      continue;
    }
    const field = constrainedField(key, limit);
    if (field === null) continue;
    if (!has(field)) return `actionDetails must report ${field} (scope ${key})`;
    const violation = ruleViolation(key, limit, field, details[field]);
    if (violation) return violation;
  }
  return null;
}
