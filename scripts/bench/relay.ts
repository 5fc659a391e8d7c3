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
 *   the same HTTP stack, in alternating bursts.
 */
import { postgresAvailable } from '../../test-support/postgres.js';
import { statementsAndDriverBaseline } from '../bench-support/driver-baseline.js';
import { startHelloWorld } from '../bench-support/hello-world.js';
import { compareGets, type LoadResult } from '../bench-support/http-load.js';
import type { Dialect } from '../bench-support/in-process-relay.js';
import { lifecyclesFor, type MeasuredPhase, perStepPhases } from '../bench-support/lifecycle-load.js';
import { type AgentKey, agentKeyPool, createRequest } from '../bench-support/lifecycle-steps.js';
import { round } from '../bench-support/load-helpers.js';
import { type ServedRelay, startServedRelay } from '../bench-support/served-relay.js';
import type { StatementFigures, Step } from '../bench-support/statement-figures.js';
import type { ReplayResult } from '../bench-support/statement-replay.js';
import type { SummaryRow } from '../bench-support/summary.js';

/** Agents keep their key pair across requests (as the SDK does), so a pool stands for many agents. */
const KEY_POOL = 32;
const CONCURRENCY = 8;
const LIFECYCLE_SECONDS = 10;
const REPLAY_SECONDS = 5;
const STEP_MAX_REQUESTS = 200;
const STEP_MAX_SECONDS = 8;
const HTTP_CONCURRENCY = 32;
const HTTP_ROUNDS = 3;
const HTTP_SECONDS_EACH = 1;

const ratio = (value: number, baseline: number) => (baseline > 0 ? round(value / baseline) : Number.NaN);
const percent = (value: number, baseline: number) => `${Math.round(ratio(value, baseline) * 100)}%`;

/** `/healthz` and the authenticated read of a request, relay against the hello-world. */
async function httpFigures(relay: ServedRelay, key: AgentKey) {
  const headers = { authorization: `Bearer ${relay.agentKey}` };
  const otpPath = `/api/v1/otp/${await createRequest(relay, key)}`;
  // The hello-world answers the read with the relay's own body behind the same bearer check.
  const otpBody = await (await fetch(`${relay.url}${otpPath}`, { headers })).text();
  const hello = await startHelloWorld({ token: relay.agentKey, otpBody });
  try {
    const compare = async (path: string, withHeaders: Record<string, string>) => {
      const { relay: served, helloWorld } = await compareGets(
        { url: `${relay.url}${path}`, pid: relay.pid, headers: withHeaders },
        { url: `${hello.url}${path}`, pid: hello.pid, headers: withHeaders },
        { concurrency: HTTP_CONCURRENCY, rounds: HTTP_ROUNDS, secondsEach: HTTP_SECONDS_EACH },
      );
      return { relay: served, helloWorld, ratio: ratio(served.perSecond, helloWorld.perSecond) };
    };
    return { healthz: await compare('/healthz', {}), authenticatedGet: await compare(otpPath, headers) };
  } finally {
    await hello.stop();
  }
}

const rangeText = ({ min, max }: { min: number; max: number }) =>
  min === max ? String(min) : `${min}–${max}`;

function httpRows(
  name: string,
  figure: { relay: LoadResult; helloWorld: LoadResult },
  against: string,
): SummaryRow[] {
  const { relay, helloWorld } = figure;
  return [
    {
      figure: name,
      value: `${relay.perSecond} req/s`,
      baseline: `${helloWorld.perSecond} req/s (${against})`,
      ratio: percent(relay.perSecond, helloWorld.perSecond),
    },
    {
      figure: `${name}: server CPU per request`,
      value: `${relay.serverCpuMsPerRequest} ms`,
      baseline: `${helloWorld.serverCpuMsPerRequest} ms (${against})`,
      ratio: percent(helloWorld.serverCpuMsPerRequest, relay.serverCpuMsPerRequest),
    },
  ];
}

function summaryRows(
  dialect: Dialect,
  figures: {
    statements: StatementFigures;
    lifecycles: MeasuredPhase;
    driverLoop: ReplayResult;
    perStep: Record<Step, MeasuredPhase>;
    memory: { rssMb: number; peakRssMb: number };
    http: Awaited<ReturnType<typeof httpFigures>>;
  },
): SummaryRow[] {
  const { statements, lifecycles, driverLoop, perStep, memory, http } = figures;
  const database = (ms: number | undefined) => (ms === undefined ? '' : ` + PostgreSQL ${ms} ms`);
  const relayCpu = lifecycles.serverCpuMsPerOperation + (lifecycles.databaseCpuMsPerOperation ?? 0);
  const driverCpu = driverLoop.clientCpuMsPerLifecycle + (driverLoop.databaseCpuMsPerLifecycle ?? 0);
  return [
    {
      figure: `${dialect} full lifecycle`,
      value: `${lifecycles.perSecond} /s`,
      baseline: `${driverLoop.perSecond} /s (same statements, bare driver)`,
      ratio: percent(lifecycles.perSecond, driverLoop.perSecond),
    },
    {
      figure: `${dialect} CPU per lifecycle`,
      value: `server ${lifecycles.serverCpuMsPerOperation} ms${database(lifecycles.databaseCpuMsPerOperation)}`,
      baseline: `${driverLoop.clientCpuMsPerLifecycle} ms${database(driverLoop.databaseCpuMsPerLifecycle)} (bare driver)`,
      ratio: percent(driverCpu, relayCpu),
    },
    {
      figure: `${dialect} client CPU per lifecycle`,
      value: `${lifecycles.clientCpuMsPerOperation} ms`,
      baseline: 'load generator: HTTP, sealing and opening codes',
      ratio: '',
    },
    {
      figure: `${dialect} server CPU per step`,
      value: Object.entries(perStep)
        .map(([step, phase]) => `${step} ${phase.serverCpuMsPerOperation}`)
        .join(', '),
      baseline: `ms, over ${perStep.create.operations} requests each`,
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
      value: `${memory.rssMb} MB`,
      baseline: `peak ${memory.peakRssMb} MB`,
      ratio: '',
    },
    ...httpRows(`${dialect} GET /healthz`, http.healthz, 'hello-world'),
    ...httpRows(`${dialect} GET /api/v1/otp/:id`, http.authenticatedGet, 'hello-world, bearer check'),
  ];
}

async function dialectFigures(dialect: Dialect, keys: AgentKey[]) {
  const { statements, driverLoop } = await statementsAndDriverBaseline(dialect, keys[0]!, {
    seconds: REPLAY_SECONDS,
    postgresConnections: CONCURRENCY,
  });
  const relay = await startServedRelay(dialect);
  try {
    const lifecycles = await lifecyclesFor(relay, keys, LIFECYCLE_SECONDS, CONCURRENCY);
    const perStep = await perStepPhases(relay, keys, {
      maxRequests: STEP_MAX_REQUESTS,
      maxSeconds: STEP_MAX_SECONDS,
      concurrency: CONCURRENCY,
    });
    const memory = relay.serverMemory();
    const http = await httpFigures(relay, keys[0]!);
    return {
      figures: {
        statements,
        fullLifecycles: {
          relay: { ...lifecycles, concurrency: CONCURRENCY, keyPool: keys.length },
          bareDriverLoop: driverLoop,
          ratio: ratio(lifecycles.perSecond, driverLoop.perSecond),
        },
        perStep: { ...perStep, concurrency: CONCURRENCY },
        serverMemory: memory,
        http,
      },
      summary: summaryRows(dialect, { statements, lifecycles, driverLoop, perStep, memory, http }),
    };
  } finally {
    await relay.tearDown();
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dialects: Dialect[] = postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite'];
  const keys = await agentKeyPool(KEY_POOL);
  const summary: SummaryRow[] = [];
  const results: Record<string, unknown> = {};
  for (const dialect of dialects) {
    try {
      const { figures, summary: rows } = await dialectFigures(dialect, keys);
      results[dialect] = figures;
      summary.push(...rows);
    } catch (error) {
      // One dialect failing (PostgreSQL down mid-run) leaves the other's figures standing.
      results[dialect] = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }
  if (!postgresAvailable()) results.postgres = 'skipped: PostgreSQL not reachable';
  return { ...results, summary };
}
