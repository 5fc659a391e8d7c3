/**
 * The core relay's figures (issue 18), each beside a baseline measured in the same run:
 *
 * - statements per lifecycle and per step, counted in process;
 * - full lifecycles per second (create → approve → deliver JWE → consume over real HTTP
 *   against `agent-otp serve` in its own process, agents' RSA keys made up front) beside the
 *   same statements replayed in a bare better-sqlite3 / pg loop;
 * - the server's CPU per lifecycle and per step (each step run as its own phase), its
 *   PostgreSQL backends' CPU, the client's CPU apart, and the server's RSS;
 * - `GET /healthz` and an authenticated `GET /api/v1/otp/:id` beside a Hono hello-world on
 *   the same HTTP stack.
 */
import { join } from 'node:path';
import { SQLITE_DATABASE_FILE } from '@agent-otp/db';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { postgresAvailable, postgresUrl } from '../../test-support/postgres.js';
import { startHelloWorld } from '../bench-support/hello-world.js';
import { loadGet } from '../bench-support/http-load.js';
import { type Dialect, startCountedRelay } from '../bench-support/in-process-relay.js';
import { lifecyclesFor, perStepPhases } from '../bench-support/lifecycle-load.js';
import { type AgentKey, agentKeyPool, createRequest } from '../bench-support/lifecycle-steps.js';
import { round } from '../bench-support/load-helpers.js';
import { startServedRelay } from '../bench-support/served-relay.js';
import { countStatementsPerLifecycle } from '../bench-support/statement-figures.js';
import {
  LifecycleReplay,
  type ReplayResult,
  replayOnPostgres,
  replayOnSqlite,
} from '../bench-support/statement-replay.js';
import type { SummaryRow } from '../bench-support/summary.js';

const KEY_POOL = 32;
const CONCURRENCY = 8;
const LIFECYCLE_SECONDS = 10;
const REPLAY_SECONDS = 5;
const STEP_REQUESTS = 200;
const HTTP_SECONDS = 3;
const HTTP_CONCURRENCY = 32;

const ratio = (value: number, baseline: number) => (baseline > 0 ? round(value / baseline) : Number.NaN);

/** Counts statements in process and replays the captured lifecycle over the bare driver. */
async function statementsAndDriverBaseline(dialect: Dialect, key: AgentKey) {
  const relay = await startCountedRelay(dialect);
  try {
    const { figures, lastLifecycle } = await countStatementsPerLifecycle(relay, key, 5);
    await relay.stop();
    const replay = new LifecycleReplay(lastLifecycle);
    let baseline: ReplayResult;
    if (dialect === 'sqlite') {
      const sqlite = new SQLite(join(relay.dataDir, SQLITE_DATABASE_FILE));
      // The relay's own connection settings (packages/db open-database.ts).
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('secure_delete = ON');
      sqlite.pragma('busy_timeout = 5000');
      try {
        baseline = replayOnSqlite(sqlite, replay, REPLAY_SECONDS);
      } finally {
        sqlite.close();
      }
    } else {
      const clients = Array.from(
        { length: CONCURRENCY },
        () =>
          new pg.Client({
            connectionString: postgresUrl,
            options: `-c TimeZone=UTC -c search_path=${relay.schema}`,
          }),
      );
      await Promise.all(clients.map((client) => client.connect()));
      try {
        baseline = await replayOnPostgres(clients, replay, REPLAY_SECONDS);
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
    }
    return {
      figures: { ...figures, statementList: figures.statementList.map((sql) => sql.slice(0, 120)) },
      baseline,
    };
  } finally {
    await relay.stop();
    await relay.cleanup();
  }
}

async function dialectFigures(dialect: Dialect, keys: AgentKey[], summary: SummaryRow[]) {
  const { figures: statements, baseline: driverLoop } = await statementsAndDriverBaseline(dialect, keys[0]!);
  const relay = await startServedRelay(dialect);
  try {
    const lifecycles = await lifecyclesFor(relay, keys, LIFECYCLE_SECONDS, CONCURRENCY);
    const perStep = await perStepPhases(relay, keys, STEP_REQUESTS, CONCURRENCY);
    const memoryAfterLifecycles = relay.serverMemory();

    // The authenticated read: the relay's answer for a consumed request, and the same body
    // from the hello-world behind the same bearer check.
    const headers = { authorization: `Bearer ${relay.agentKey}` };
    const id = await createRequest(relay, keys[0]!);
    const otpPath = `/api/v1/otp/${id}`;
    const otpBody = await (await fetch(`${relay.url}${otpPath}`, { headers })).text();
    const hello = await startHelloWorld({ token: relay.agentKey, otpBody });
    let http: Record<string, unknown>;
    try {
      const load = (url: string, extra: Record<string, string> = {}) =>
        loadGet(url, { headers: extra, concurrency: HTTP_CONCURRENCY, seconds: HTTP_SECONDS });
      const healthz = {
        relay: await load(`${relay.url}/healthz`),
        helloWorld: await load(`${hello.url}/healthz`),
      };
      const authenticatedGet = {
        relay: await load(`${relay.url}${otpPath}`, headers),
        helloWorld: await load(`${hello.url}${otpPath}`, headers),
      };
      http = {
        healthz: { ...healthz, ratio: ratio(healthz.relay.perSecond, healthz.helloWorld.perSecond) },
        authenticatedGet: {
          ...authenticatedGet,
          ratio: ratio(authenticatedGet.relay.perSecond, authenticatedGet.helloWorld.perSecond),
        },
      };
      summary.push(
        row(
          `${dialect} GET /healthz`,
          healthz.relay.perSecond,
          healthz.helloWorld.perSecond,
          'req/s',
          'Hono hello-world',
        ),
        row(
          `${dialect} GET /api/v1/otp/:id`,
          authenticatedGet.relay.perSecond,
          authenticatedGet.helloWorld.perSecond,
          'req/s',
          'Hono hello-world with a bearer check',
        ),
      );
    } finally {
      await hello.stop();
    }

    summary.unshift(
      row(
        `${dialect} full lifecycle`,
        lifecycles.perSecond,
        driverLoop.perSecond,
        '/s',
        'same statements, bare driver',
      ),
      {
        figure: `${dialect} server CPU per lifecycle`,
        value: `${lifecycles.serverCpuMsPerOperation} ms`,
        baseline: `client ${lifecycles.clientCpuMsPerOperation} ms${
          lifecycles.databaseCpuMsPerOperation !== undefined
            ? `, PostgreSQL ${lifecycles.databaseCpuMsPerOperation} ms`
            : ''
        }`,
        ratio: '',
      },
      {
        figure: `${dialect} server CPU per step`,
        value: Object.entries(perStep)
          .map(([step, phase]) => `${step} ${phase.serverCpuMsPerOperation}`)
          .join(', '),
        baseline: 'ms',
        ratio: '',
      },
      {
        figure: `${dialect} statements per lifecycle`,
        value: rangeText(statements.perLifecycle),
        baseline: Object.entries(statements.perStep)
          .map(([step, count]) => `${step} ${rangeText(count)}`)
          .join(', '),
        ratio: '',
      },
      {
        figure: `${dialect} server RSS`,
        value: `${memoryAfterLifecycles.rssMb} MB`,
        baseline: `peak ${memoryAfterLifecycles.peakRssMb} MB`,
        ratio: '',
      },
    );
    return {
      statements,
      fullLifecycles: {
        relay: { ...lifecycles, concurrency: CONCURRENCY, keyPool: keys.length },
        bareDriverLoop: driverLoop,
        ratio: ratio(lifecycles.perSecond, driverLoop.perSecond),
      },
      perStep: { ...perStep, requestsPerStep: STEP_REQUESTS, concurrency: CONCURRENCY },
      serverMemory: memoryAfterLifecycles,
      http,
    };
  } finally {
    await relay.tearDown();
  }
}

function rangeText({ min, max }: { min: number; max: number }) {
  return min === max ? String(min) : `${min}–${max}`;
}

function row(figure: string, value: number, baseline: number, unit: string, against: string): SummaryRow {
  return {
    figure,
    value: `${value} ${unit}`,
    baseline: `${baseline} ${unit} (${against})`,
    ratio: `${Math.round(ratio(value, baseline) * 100)}%`,
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dialects: Dialect[] = postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite'];
  const keys = await agentKeyPool(KEY_POOL);
  const summary: SummaryRow[] = [];
  const results: Record<string, unknown> = {};
  for (const dialect of dialects) {
    const rows: SummaryRow[] = [];
    try {
      results[dialect] = await dialectFigures(dialect, keys, rows);
    } catch (error) {
      // One dialect failing (PostgreSQL down mid-run) leaves the other's figures standing.
      results[dialect] = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    summary.push(...rows);
  }
  if (!postgresAvailable()) results.postgres = 'skipped: PostgreSQL not reachable';
  return { ...results, summary };
}
