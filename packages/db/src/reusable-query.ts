import { type Compilable, type CompiledQuery, createQueryId, type DialectAdapter } from 'kysely';
import type { Tx } from './transaction.js';

/** Where each parameter of the compiled SQL comes from: a call's value (by index) or the query itself. */
type ParameterSource = { value: number } | { constant: unknown };

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  sources: ParameterSource[];
}

/**
 * A fixed-shape query that Kysely builds and compiles once per dialect, then runs with each
 * call's values as its parameters. Kysely otherwise rebuilds the query (an immutable tree,
 * copied at every method call) and compiles it again on every run; for the statements every
 * API call makes (the API key look-up) that was about a tenth of a GET's server CPU (issue 18).
 *
 * `build` is called once per dialect with a stand-in for each value, so every value must
 * reach the SQL as exactly one parameter, whatever it is (a `where` comparison, a `set`):
 * not a list spread by `in`, nor a `null` that Kysely would write as `is null`. A query that
 * breaks this is refused when first compiled. It runs through Kysely's executor as any query
 * does; on a database with plugins (the statement counter of tests) it is built anew each
 * time, since a plugin may want to see or rewrite every query.
 *
 * @example
 * const agentById = reusableQuery((db, id: string) => db.selectFrom('agents').selectAll().where('id', '=', id));
 * const [agent] = await agentById(tx, 'agt_…');
 */
export function reusableQuery<Values extends unknown[], Row>(
  build: (db: Tx, ...values: Values) => Compilable<Row>,
): (db: Tx, ...values: Values) => Promise<Row[]> {
  // Keyed by the database's dialect adapter, which its transactions share.
  const compiledFor = new WeakMap<DialectAdapter, Compiled>();
  return async (db, ...values) => {
    const executor = db.getExecutor();
    // Plugins see (and may rewrite) each query before it is compiled; with any installed
    // (the statement counter of tests), the query is built and compiled as usual.
    if (executor.plugins.length > 0) return (await db.executeQuery(build(db, ...values))).rows;
    let compiled = compiledFor.get(executor.adapter);
    if (!compiled) {
      compiled = compile(build, db, values.length);
      compiledFor.set(executor.adapter, compiled);
    }
    const parameters = compiled.sources.map((source) =>
      'value' in source ? values[source.value] : source.constant,
    );
    const query: CompiledQuery<Row> = {
      sql: compiled.sql,
      query: compiled.query,
      parameters,
      queryId: createQueryId(),
    };
    return (await db.executeQuery(query)).rows;
  };
}

function compile<Values extends unknown[], Row>(
  build: (db: Tx, ...values: Values) => Compilable<Row>,
  db: Tx,
  count: number,
): Compiled {
  // Objects no caller can pass, so each one found among the parameters is that value's slot.
  const standIns = Array.from({ length: count }, (_, index) => ({ standInFor: index }));
  const { sql, query, parameters } = build(db, ...(standIns as unknown as Values)).compile();
  const sources = parameters.map((parameter): ParameterSource => {
    const value = standIns.indexOf(parameter as (typeof standIns)[number]);
    return value === -1 ? { constant: parameter } : { value };
  });
  standIns.forEach((_, index) => {
    const uses = sources.filter((source) => 'value' in source && source.value === index).length;
    if (uses !== 1)
      throw new Error(
        `reusableQuery: value ${index} becomes ${uses} parameters of "${sql}", not exactly one`,
      );
  });
  return { sql, query, sources };
}

/**
 * A bounded set of reusable queries of many shapes, one per key, each made by `create` the
 * first time its key is asked for. Past `limit` keys the oldest is dropped (and compiled
 * again if asked for again), so a caller that makes a new shape per call costs a compile
 * each time, never memory without end.
 *
 * @example
 * const updates = queriesByShape<(tx: Tx, ...values: unknown[]) => Promise<unknown[]>>();
 * const run = updates(shape.key, () => reusableQuery((db, ...values: unknown[]) => build(db, shape, values)));
 */
export function queriesByShape<Query>(limit = 256): (key: string, create: () => Query) => Query {
  const byKey = new Map<string, Query>();
  return (key, create) => {
    let query = byKey.get(key);
    if (query === undefined) {
      query = create();
      if (byKey.size >= limit) byKey.delete(byKey.keys().next().value as string);
      byKey.set(key, query);
    }
    return query;
  };
}
