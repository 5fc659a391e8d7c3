/**
 * Statements per lifecycle (counted in process) and the bare-driver baseline: the captured
 * lifecycle replayed over better-sqlite3 or pg on the same database.
 */
import { join } from 'node:path';
import { SQLITE_DATABASE_FILE } from '@agent-otp/db';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { postgresUrl } from '../../test-support/postgres.js';
import { type Dialect, startCountedRelay } from './in-process-relay.js';
import type { AgentKey } from './lifecycle-steps.js';
import { countStatementsPerLifecycle, type StatementFigures } from './statement-figures.js';
import {
  type CapturedAuditRow,
  firstIdSince,
  LifecycleReplay,
  type ReplayResult,
  replayOnPostgres,
  replayOnSqlite,
} from './statement-replay.js';

export async function statementsAndDriverBaseline(
  dialect: Dialect,
  key: AgentKey,
  options: { seconds: number; postgresConnections: number },
): Promise<{ statements: StatementFigures; driverLoop: ReplayResult }> {
  const relay = await startCountedRelay(dialect);
  try {
    const { figures, lastLifecycle, lastLifecycleStartedAt } = await countStatementsPerLifecycle(
      relay,
      key,
      5,
    );
    await relay.stop();
    const firstEvent = firstIdSince('evt', lastLifecycleStartedAt);
    const replayOf = (rows: CapturedAuditRow[], signature: string) => {
      const last = rows.at(-1);
      if (!last) throw new Error('the captured lifecycle appended no audit rows');
      return new LifecycleReplay(lastLifecycle, lastLifecycleStartedAt, rows, {
        seq: last.seq,
        hash: last.hash,
        signature,
      });
    };
    let driverLoop: ReplayResult;
    if (dialect === 'sqlite') {
      const sqlite = new SQLite(join(relay.dataDir, SQLITE_DATABASE_FILE));
      // The relay's own connection settings (packages/db open-database.ts).
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('secure_delete = ON');
      sqlite.pragma('busy_timeout = 5000');
      try {
        const rows = sqlite
          .prepare('select chain, seq, prev_hash, hash from audit_events where id >= ? order by seq')
          .all(firstEvent) as (CapturedAuditRow & { chain: string })[];
        const { signature } = sqlite
          .prepare('select signature from audit_checkpoints where chain = ?')
          .get(rows.at(-1)?.chain) as { signature: string };
        driverLoop = replayOnSqlite(sqlite, replayOf(rows, signature), options.seconds);
      } finally {
        sqlite.close();
      }
    } else {
      const clients = Array.from(
        { length: options.postgresConnections },
        () =>
          new pg.Client({
            connectionString: postgresUrl,
            options: `-c TimeZone=UTC -c search_path=${relay.schema}`,
          }),
      );
      await Promise.all(clients.map((client) => client.connect()));
      try {
        const { rows } = await clients[0]!.query<CapturedAuditRow & { chain: string }>(
          'select chain, seq, prev_hash, hash from audit_events where id >= $1 order by seq',
          [firstEvent],
        );
        const checkpoint = await clients[0]!.query<{ signature: string }>(
          'select signature from audit_checkpoints where chain = $1',
          [rows.at(-1)?.chain],
        );
        driverLoop = await replayOnPostgres(
          clients,
          replayOf(rows, checkpoint.rows[0]!.signature),
          options.seconds,
        );
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
    }
    // The list says which statements a change removed; the first 120 characters name each.
    return {
      statements: { ...figures, statementList: figures.statementList.map((sql) => sql.slice(0, 120)) },
      driverLoop,
    };
  } finally {
    await relay.stop();
    await relay.cleanup();
  }
}
