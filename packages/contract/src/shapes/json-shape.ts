// Checks of JSON values that need no schema library: the relay's database layer reads its JSON
// columns through these, so a one-shot command such as `agent-otp pending` never loads zod,
// whose classic build costs ~100 ms to import (issue 17, issue 18). They accept and return
// exactly what the contract's zod schemas of the same shapes do (z.object drops unknown keys);
// test/stored-shapes.test.ts feeds both the same values to keep it so.

/** What zod's `safeParse` returns, so a shape stands wherever a schema's `safeParse` is called. */
export type ShapeResult<T> = { success: true; data: T } | { success: false; error: { message: string } };

/** A checked JSON shape, used as zod schemas are: `shape.safeParse(JSON.parse(text))`. */
export interface JsonShape<T> {
  safeParse(value: unknown): ShapeResult<T>;
}

/**
 * Reads `value` (found at `at`, e.g. `reasons.0.level`) into its output, or throws a
 * {@link ShapeMismatch}. Messages name the place and what was expected, never the value: a
 * stored value may hold an owner's or an agent's data.
 */
export type Reader<T> = (value: unknown, at: string) => T;

class ShapeMismatch extends Error {}

function mismatch(at: string, expected: string): never {
  throw new ShapeMismatch(`${at || 'value'}: expected ${expected}`);
}

const child = (at: string, key: string | number) => (at === '' ? String(key) : `${at}.${key}`);

/** Any string, as z.string(). */
export const text: Reader<string> = (value, at) =>
  typeof value === 'string' ? value : mismatch(at, 'a string');

/**
 * One of `values`, as z.enum(values).
 *
 * @example
 * const level = oneOf(RISK_LEVELS);
 */
export function oneOf<const V extends readonly string[]>(values: V): Reader<V[number]> {
  const allowed = new Set<unknown>(values);
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join('|')}`;
  return (value, at) => (allowed.has(value) ? (value as V[number]) : mismatch(at, expected));
}

/** An array of items, each read by `item`, as z.array(item): a new array. */
export function listOf<T>(item: Reader<T>): Reader<T[]> {
  return (value, at) =>
    Array.isArray(value)
      ? value.map((element, index) => item(element, child(at, index)))
      : mismatch(at, 'an array');
}

type Output<F> = { [K in keyof F]: F[K] extends Reader<infer T> ? T : never };

/**
 * An object with exactly `fields`, as z.object(fields): a new object holding those fields in
 * their declared order; other keys are dropped.
 */
export function objectOf<F extends Record<string, Reader<unknown>>>(fields: F): Reader<Output<F>> {
  return (value, at) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return mismatch(at, 'an object');
    const source = value as Record<string, unknown>;
    const output: Record<string, unknown> = {};
    for (const [key, read] of Object.entries(fields)) output[key] = read(source[key], child(at, key));
    return output as Output<F>;
  };
}

/**
 * A plain object with members of any kind, as z.record(z.string(), z.unknown()): a new object
 * with the same members (the values themselves are not copied). Like zod, it leaves out an own
 * `__proto__` member, which JSON.parse can produce and which would set the copy's prototype.
 */
export const jsonObject: Reader<Record<string, unknown>> = (value, at) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return mismatch(at, 'an object');
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return mismatch(at, 'a plain object');
  const output: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (key !== '__proto__') output[key] = member;
  return output;
};

/**
 * A {@link JsonShape} from a reader: `safeParse` returns its output, or its mismatch as the error.
 *
 * @example
 * const Sources = jsonShape(listOf(oneOf(CAPTURE_SOURCES)));
 * Sources.safeParse(['sms']); // { success: true, data: ['sms'] }
 */
export function jsonShape<T>(read: Reader<T>): JsonShape<T> {
  return {
    safeParse(value) {
      try {
        return { success: true, data: read(value, '') };
      } catch (error) {
        if (error instanceof ShapeMismatch) return { success: false, error: { message: error.message } };
        throw error;
      }
    },
  };
}
