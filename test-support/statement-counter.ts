/**
 * Counts the SQL statements a relay sends to its database, in process, so tests can pin
 * "statements per lifecycle" and the benchmark can replay the exact statement list over the
 * bare driver (issue 18).
 *
 * @example
 * const { handle, counter } = countStatements(await openDatabase({ dataDir }));
 * const server = await startServer(config, { database: handle });
 * const { count } = await counter.measure(() => createOtpOverHttp(server.url));
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseHandle } from '@agent-otp/db';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/** One statement as the driver received it. */
export interface RecordedStatement {
  sql: string;
  parameters: readonly unknown[];
  /** The `scoped()` label the statement ran under (e.g. the HTTP request); undefined for background work. */
  scope: string | undefined;
}

export interface StatementCounter {
  /** Statements executed since creation or the last `reset()`. */
  readonly count: number;
  /** The same statements, in order, with their parameters. */
  readonly statements: readonly RecordedStatement[];
  reset(): void;
  /**
   * Counts the statements recorded while `fn` runs. Background work of the relay (pollers,
   * sweeps) running meanwhile is included; filter on `scope` to leave it out.
   */
  measure<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: RecordedStatement[] }>;
  /**
   * Runs `fn` with `scope` as the label of every statement it causes, including statements
   * of async work it starts, so requests can be told from background jobs.
   *
   * @example
   * serve({ fetch: (req) => counter.scoped(`${req.method} ${new URL(req.url).pathname}`, () => app.fetch(req)) });
   */
  scoped<T>(scope: string, fn: () => T): T;
}

interface TransactionBuilderLike {
  setIsolationLevel(level: string): TransactionBuilderLike;
  setAccessMode(mode: string): TransactionBuilderLike;
  execute<T>(fn: (tx: unknown) => Promise<T>): Promise<T>;
}

/**
 * Returns a handle that runs every query through the original one and records it. Pass the
 * returned handle (not the original) to `startServer` or the core functions under test.
 *
 * Counted: every statement Kysely executes, including SQLite's `begin immediate`/`commit`
 * (the relay issues them as SQL) and, on PostgreSQL, the `begin`/`commit` Kysely's
 * transaction builder sends on its own (recorded here because plugins never see them).
 * A statement that fails is not counted: plugins only see results.
 */
export function countStatements(original: DatabaseHandle): {
  handle: DatabaseHandle;
  counter: StatementCounter;
} {
  const recorded: RecordedStatement[] = [];
  const scopes = new AsyncLocalStorage<string>();
  const record = (sql: string, parameters: readonly unknown[]) =>
    recorded.push({ sql, parameters, scope: scopes.getStore() });
  const pending = new WeakMap<QueryId, RootOperationNode>();
  let plugged: Kysely<unknown>;

  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs) {
      pending.set(queryId, node);
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const node = pending.get(queryId);
      pending.delete(queryId);
      if (node) {
        const compiled = plugged.getExecutor().compileQuery(node, queryId);
        record(compiled.sql, compiled.parameters);
      } else {
        // A CompiledQuery executed directly skips transformQuery; it still reached the driver.
        record('(precompiled query)', []);
      }
      return result;
    },
  };
  plugged = original.db.withPlugin(plugin) as Kysely<unknown>;

  const countingTransaction = (builder: TransactionBuilderLike, begin: string): TransactionBuilderLike => ({
    setIsolationLevel: (level) =>
      countingTransaction(builder.setIsolationLevel(level), `start transaction isolation level ${level}`),
    setAccessMode: (mode) => countingTransaction(builder.setAccessMode(mode), `${begin} ${mode}`),
    async execute(fn) {
      record(begin, []);
      try {
        const result = await builder.execute(fn);
        record('commit', []);
        return result;
      } catch (error) {
        record('rollback', []);
        throw error;
      }
    },
  });

  // Kysely keeps its state in #private fields, so methods must run on the real instance:
  // the proxy binds them to it and only swaps `transaction()` for a counting one.
  const db = new Proxy(plugged, {
    get(target, property) {
      if (property === 'transaction')
        return () => countingTransaction(target.transaction() as unknown as TransactionBuilderLike, 'begin');
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as DatabaseHandle['db'];

  const counter: StatementCounter = {
    get count() {
      return recorded.length;
    },
    get statements() {
      return recorded;
    },
    reset() {
      recorded.length = 0;
    },
    async measure(fn) {
      const start = recorded.length;
      const result = await fn();
      const statements = recorded.slice(start);
      return { result, count: statements.length, statements };
    },
    scoped(scope, fn) {
      return scopes.run(scope, fn);
    },
  };
  return { handle: { ...original, db }, counter };
}
