import { compileSafePattern, testSafePattern, UnsafePatternError } from '@agent-otp/shared';

/**
 * Checks one use's `actionDetails` against the granted scope, returning the first violation
 * or null. Rules (docs/permissions.md):
 * - `max_<field>` (except `max_uses`): a number in `actionDetails.<field>` must be ≤ the
 *   limit; a list must have at most that many entries.
 * - `<field>_pattern`: `actionDetails.<field>` must be text matching the regex.
 * - `allowed_<field>`: `actionDetails.<field>` (or every entry of a list) must be in the list.
 * - `require_details`: these fields must be present.
 * A field the use does not report is not checked, unless `require_details` names it.
 * Any other scope key is informational (shown to the approver, returned by verify).
 *
 * @example
 * scopeViolation({ subject_pattern: '^Invoice' }, { subject: 'Hello' }); // 'subject does not match …'
 */
export function scopeViolation(
  scope: Record<string, unknown>,
  details: Record<string, unknown>,
): string | null {
  const has = (field: string) => Object.hasOwn(details, field) && details[field] !== undefined;
  for (const [key, limit] of Object.entries(scope)) {
    if (key === 'require_details' && Array.isArray(limit)) {
      const missing = limit.filter((field) => typeof field === 'string' && !has(field));
      if (missing.length) return `actionDetails must report ${missing.join(', ')}`;
    } else if (key.startsWith('max_') && key !== 'max_uses' && typeof limit === 'number') {
      const field = key.slice(4);
      if (!has(field)) continue;
      const value = details[field];
      const amount = Array.isArray(value) ? value.length : value;
      if (typeof amount !== 'number' || !Number.isFinite(amount))
        return `${field} must be a number or a list (scope ${key})`;
      if (amount > limit) return `${field} is ${amount}, more than ${key} = ${limit}`;
    } else if (key.endsWith('_pattern') && typeof limit === 'string') {
      const field = key.slice(0, -'_pattern'.length);
      if (!has(field)) continue;
      const value = details[field];
      if (typeof value !== 'string') return `${field} must be text to check against ${key}`;
      try {
        if (!testSafePattern(compileSafePattern(limit), value)) return `${field} does not match ${key}`;
      } catch (error) {
        if (error instanceof UnsafePatternError)
          return `${field} cannot be checked against ${key}: ${error.message}`;
        throw error;
      }
    } else if (key.startsWith('allowed_') && Array.isArray(limit)) {
      const field = key.slice(8);
      if (!has(field)) continue;
      const value = details[field];
      const values = Array.isArray(value) ? value : [value];
      const outside = values.find((v) => !limit.includes(v));
      if (outside !== undefined) return `${field} ${JSON.stringify(outside)} is not in ${key}`;
    }
  }
  return null;
}
