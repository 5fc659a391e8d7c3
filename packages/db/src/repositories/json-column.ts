/** A stored row whose JSON column does not hold what its schema says: a bug or tampering, never input. */
export class CorruptRowError extends Error {
  constructor(table: string, id: string, column: string, problem: string) {
    // The column's content stays out of the message: it may hold an owner's or agent's data.
    super(`${table} ${id}: column ${column} is corrupt (${problem})`);
    this.name = 'CorruptRowError';
  }
}

/**
 * What a zod schema offers, and the contract's dependency-free JSON shapes (JsonObjectShape…)
 * too, without db depending on zod itself.
 */
export interface ColumnSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/**
 * Parses one JSON text column against its schema, or throws a CorruptRowError naming the
 * table, row and column (never the content).
 *
 * @example
 * const conditions = parseJsonColumn(JsonObjectShape, { table: 'policies', id: row.id, column: 'conditions' }, row.conditions);
 */
export function parseJsonColumn<T>(
  schema: ColumnSchema<T>,
  where: { table: string; id: string; column: string },
  text: string,
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptRowError(where.table, where.id, where.column, 'not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRowError(where.table, where.id, where.column, parsed.error.message);
  return parsed.data;
}
