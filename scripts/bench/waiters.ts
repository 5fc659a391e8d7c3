/**
 * What waiting agents cost (issue 18): 10,000 agents long-polling, then 10,000 holding an
 * event stream, each woken by one delivery, against `agent-otp serve` (SQLite) in its own
 * process, beside a bare node:http long-poll measured in the same run by the same raw-socket
 * client. Wake-up is from just before the delivery is posted to the waiter holding its
 * answer; RSS is the server's with every waiter parked. Also the CPU one lifecycle costs
 * the server with 0 and with 5 owner dashboards (approval streams) open.
 *
 * `BENCH_WAITERS=2000 npm run bench waiters` for a quicker run. Each delivery phase stops
 * after DELIVERY_BUDGET_MS so the whole run stays near two minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@agent-otp/config';
import { createOwnerToken, ensureDefaultOwner, InProcessEventBus, newId, systemClock } from '@agent-otp/core';
import { openDatabase } from '@agent-otp/db';
import { createLogger, openAuditKey } from '@agent-otp/server';
import { encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { CLI, type CliEnvironment, createCliEnvironment } from '../../test-support/cli.js';
import { agentKeyPair, call } from '../../test-support/http.js';
import { percentile, round } from '../bench-support/load-helpers.js';
import { cpuMs, type HeldRequest, holdRequest, residentMb, untilQuiet } from '../bench-support/raw-http.js';
import type { SummaryRow } from '../bench-support/summary.js';

const WAITERS = Number(process.env.BENCH_WAITERS ?? 10_000);
const DELIVERY_BUDGET_MS = 30_000;
/** A waiter not answered this long after its delivery is counted as lost. */
const ARRIVAL_TIMEOUT_MS = 5000;
const CONNECT_BATCH = 500;
const LIFECYCLES = 60;
const DASHBOARD_TABS = 5;

interface Server {
  host: string;
  port: number;
  pid: number;
}

/** A poster of JSON bodies over one kept-alive connection, so each delivery is one round trip. */
function poster(server: Server, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = (path: string, body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: server.host,
          port: server.port,
          path,
          method: 'POST',
          agent,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`POST ${path}: ${res.statusCode} ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive socket the server closed just as it was reused fails at once: send again.
  const post = (path: string, body: string) =>
    once(path, body).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') return once(path, body);
      throw error;
    });
  return { post, close: () => agent.destroy() };
}

/**
 * Opens one held request per path, CONNECT_BATCH at a time, from 127.0.0.`firstHost`…+3,
 * then waits until the server is idle (every request taken in).
 */
async function park(
  server: Server,
  paths: string[],
  headers: Record<string, string>,
  marker: string,
  firstHost: number,
) {
  const held: HeldRequest[] = [];
  for (let i = 0; i < paths.length; i += CONNECT_BATCH) {
    const batch = paths
      .slice(i, i + CONNECT_BATCH)
      .map((path, j) => holdRequest(server, `127.0.0.${firstHost + ((i + j) % 4)}`, path, headers, marker));
    const settled = await Promise.allSettled(batch.map((b) => b.connected));
    const refused = settled.find((s) => s.status === 'rejected');
    if (refused) throw new Error(`could not connect waiter: ${(refused as PromiseRejectedResult).reason}`);
    held.push(...batch.map((b) => b.held));
  }
  await untilQuiet(server.pid);
  return held;
}

/** Delivers to each waiter in turn (until the budget runs out) and times its wake-up. */
async function wakeEach(held: HeldRequest[], deliver: (index: number) => Promise<() => Promise<void>>) {
  const wakeUps: number[] = [];
  const roundTrips: number[] = [];
  let lost = 0;
  const stopAt = Date.now() + DELIVERY_BUDGET_MS;
  for (let i = 0; i < held.length && Date.now() < stopAt; i++) {
    // Anything the client must prepare (encrypting the code) happens before the clock starts.
    const send = await deliver(i);
    const before = performance.now();
    await send();
    roundTrips.push(performance.now() - before);
    // A waiter whose connection failed is counted, not fatal: the figure says how many.
    const arrived = await within(held[i]!.arrived, ARRIVAL_TIMEOUT_MS);
    if (arrived === undefined) lost += 1;
    else wakeUps.push(arrived - before);
  }
  for (const h of held) h.close();
  wakeUps.sort((a, b) => a - b);
  roundTrips.sort((a, b) => a - b);
  return {
    woken: wakeUps.length,
    lost,
    p50Ms: round(percentile(wakeUps, 50)),
    p99Ms: round(percentile(wakeUps, 99)),
    maxMs: round(wakeUps.at(-1) ?? Number.NaN),
    deliveryRoundTripP50Ms: round(percentile(roundTrips, 50)),
  };
}

/** The waiter's arrival time, or undefined when it failed or did not come within `ms`. */
async function within(arrived: Promise<number>, ms: number): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([arrived.catch(() => undefined), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Progress on stderr: a loaded machine can make a phase take minutes. */
const progress = (message: string) => process.stderr.write(`waiters: ${message}\n`);

/** Parks `paths`, records RSS, wakes each; the server's idle RSS is taken just before. */
async function phase(
  name: string,
  server: Server,
  paths: string[],
  headers: Record<string, string>,
  marker: string,
  firstHost: number,
  deliver: (index: number) => Promise<() => Promise<void>>,
) {
  await untilQuiet(server.pid);
  const idleMb = residentMb(server.pid);
  progress(`${name}: parking ${paths.length}`);
  const held = await park(server, paths, headers, marker, firstHost);
  const parkedMb = residentMb(server.pid);
  progress(`${name}: parked (${parkedMb} MB), delivering`);
  const wake = await wakeEach(held, deliver);
  return {
    ...wake,
    rssIdleMb: idleMb,
    rssParkedMb: parkedMb,
    kbPerWaiter: round(((parkedMb - idleMb) * 1024) / paths.length),
  };
}

async function startBareServer(): Promise<{ server: Server; child: ChildProcess }> {
  const script = fileURLToPath(new URL('../bench-support/bare-long-poll-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`bare server exited: ${code}`)));
  });
  return { server: { host: '127.0.0.1', port, pid: child.pid! }, child };
}

async function baseline(body: string) {
  const { server, child } = await startBareServer();
  const deliveries = poster(server, {});
  try {
    const ids = Array.from({ length: WAITERS }, (_, i) => `w${i}`);
    return await phase(
      'bare node:http long-poll',
      server,
      ids.map((id) => `/wait/${id}`),
      {},
      'otp_received',
      30,
      async (i) => () => deliveries.post(`/deliver/${ids[i]}`, body),
    );
  } finally {
    deliveries.close();
    child.kill('SIGTERM');
  }
}

async function startRelay() {
  // The benchmark measures waiting, not the per-key rate limit, the caps on open requests
  // and on waits per key, nor the cap on fresh connections per address.
  const cli = await createCliEnvironment('sqlite', {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '100000',
    OPEN_REQUESTS_PER_AGENT: '10000',
    MAX_WAITS_PER_CREDENTIAL: '10000',
    MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS: '100000',
    // The delivering client's one kept-alive connection idles while 10,000 waiters connect.
    KEEP_ALIVE_TIMEOUT_MS: '600000',
    // 10,000 connections arrive faster than a busy server reads their headers.
    HEADERS_TIMEOUT_MS: '120000',
    REQUEST_TIMEOUT_MS: '600000',
    LOG_LEVEL: 'warn',
  });
  const serve = await servePatiently(cli).catch(async (error: unknown) => {
    await cli.cleanup();
    throw error;
  });
  try {
    return await prepareRelay(cli, serve);
  } catch (error) {
    // Nothing left running or on disk when set-up fails (a CLI command timed out on a loaded machine).
    await serve.stop();
    await cli.cleanup();
    throw error;
  }
}

/** The agent, source and owner token the phases use, on a started server. */
async function prepareRelay(cli: CliEnvironment, serve: Awaited<ReturnType<typeof servePatiently>>) {
  const json = async (args: string[]) => {
    const result = await cli.run([...args, '--json']);
    if (result.code !== 0) throw new Error(`agent-otp ${args[0]} failed (${result.code}): ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const agent = (await json(['agent:create', '--name', 'waiters'])) as { apiKey: string };
  const source = (await json(['source:create', '--kind', 'email', '--name', 'waiters'])) as { token: string };
  // An owner token as relay.ts mints one: through core, on the server's own database.
  const database = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.env.DATA_DIR! });
  const config = loadConfig({ DATA_DIR: cli.env.DATA_DIR, DATABASE_URL: cli.env.DATABASE_URL });
  const ctx = {
    database,
    auditKey: await openAuditKey(config, database, createLogger('silent')),
    bus: new InProcessEventBus(),
    clock: systemClock,
    publicUrl: serve.url,
    lookbackSeconds: 120,
  };
  const ownerToken = await createOwnerToken(ctx, (await ensureDefaultOwner(ctx)).id, 3600);
  const url = new URL(serve.url);
  return {
    cli,
    serve,
    database,
    url: serve.url,
    server: { host: url.hostname, port: Number(url.port), pid: serve.process.pid! },
    agentKey: agent.apiKey,
    sourceToken: source.token,
    ownerToken,
  };
}

type Relay = Awaited<ReturnType<typeof prepareRelay>>;

/**
 * `agent-otp serve` for this environment, as `cli.serve()` starts it but patient: on a
 * machine loaded by other work, start-up can take longer than the tests' 20 s, and a server
 * that never answers is killed rather than left behind.
 */
async function servePatiently(cli: CliEnvironment, timeoutMs = 180_000) {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: cli.env.DATA_DIR,
    env: cli.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${cli.env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited early:\n${output}`);
    const up = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function sealFor(publicKey: string, id: string): Promise<string> {
  const key = await parseAgentPublicKey(publicKey);
  const encryptedPayload = await encryptOtpPayload(key.key, key.fingerprint, {
    code: '654321',
    source: 'email',
    sender: 'bench@example.com',
    receivedAt: new Date().toISOString(),
    requestId: id,
  });
  return JSON.stringify({ encryptedPayload });
}

/**
 * `count` approved requests of the bench agent, written straight into the database as copies
 * of one made through the API: 20,000 creates and approvals over HTTP would take minutes
 * and measure something else.
 */
async function approvedRequests(relay: Relay, publicKey: string, count: number): Promise<string[]> {
  const created = await call(relay.url, '/api/v1/otp', {
    token: relay.agentKey,
    json: { reason: 'waiters', filter: { sources: ['email'] }, publicKey },
  });
  const templateId = created.body.id as string;
  await call(relay.url, `/api/v1/requests/${templateId}/approve`, {
    method: 'POST',
    token: relay.ownerToken,
  });
  const { database } = relay;
  const template = await database.db
    .selectFrom('otp_requests')
    .selectAll()
    .where('id', '=', templateId)
    .executeTakeFirstOrThrow();
  const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
  const ids = Array.from({ length: count }, () => newId('otp'));
  for (let i = 0; i < ids.length; i += 200) {
    const rows = ids.slice(i, i + 200).map((id) => ({ ...template, id, expires_at: expiresAt }));
    await database.db.insertInto('otp_requests').values(rows).execute();
  }
  return ids;
}

/** One phase of the relay's waiters, each woken by a capture delivery. */
async function relayWaiters(relay: Relay, name: string, pathOf: (id: string) => string, firstHost: number) {
  const keys = await agentKeyPair();
  const ids = await approvedRequests(relay, keys.publicKey, WAITERS);
  const deliveries = poster(relay.server, { authorization: `Bearer ${relay.sourceToken}` });
  try {
    const auth = { authorization: `Bearer ${relay.agentKey}` };
    return await phase(name, relay.server, ids.map(pathOf), auth, 'otp_received', firstHost, async (i) => {
      const body = await sealFor(keys.publicKey, ids[i]!);
      return () => deliveries.post(`/api/v1/capture/requests/${ids[i]}/deliver`, body);
    });
  } finally {
    deliveries.close();
  }
}

/**
 * Runs `measure` against a relay of its own (a fresh install and server process), so each
 * phase's RSS starts from an idle server and not from the heap the previous phase grew.
 */
async function onFreshRelay<T>(measure: (relay: Relay) => Promise<T>): Promise<T> {
  const relay = await startRelay();
  try {
    return await measure(relay);
  } finally {
    await relay.database.close();
    await relay.serve.stop();
    await relay.cli.cleanup();
  }
}

/** Server CPU per lifecycle (create → approve → deliver → consume), sequential. */
async function cpuPerLifecycle(relay: Relay, publicKey: string): Promise<number> {
  await untilQuiet(relay.server.pid);
  const before = cpuMs(relay.server.pid);
  for (let i = 0; i < LIFECYCLES; i++) {
    const created = await call(relay.url, '/api/v1/otp', {
      token: relay.agentKey,
      json: { reason: 'tabs', filter: { sources: ['email'] }, publicKey },
    });
    const id = created.body.id as string;
    await call(relay.url, `/api/v1/requests/${id}/approve`, { method: 'POST', token: relay.ownerToken });
    await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: relay.sourceToken,
      json: JSON.parse(await sealFor(publicKey, id)),
    });
    await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: relay.agentKey });
  }
  // Streams write after the last response; let them finish before reading the clock.
  await untilQuiet(relay.server.pid);
  return round((cpuMs(relay.server.pid) - before) / LIFECYCLES);
}

async function dashboardTabs(relay: Relay) {
  const keys = await agentKeyPair();
  progress('dashboard tabs: lifecycles with none open');
  const without = await cpuPerLifecycle(relay, keys.publicKey);
  const tabs = Array.from({ length: DASHBOARD_TABS }, (_, i) =>
    holdRequest(
      relay.server,
      `127.0.0.${40 + i}`,
      '/api/v1/approvals/events',
      {
        authorization: `Bearer ${relay.ownerToken}`,
      },
      '\u0000',
    ),
  );
  await Promise.all(tabs.map((t) => t.connected));
  try {
    const withTabs = await cpuPerLifecycle(relay, keys.publicKey);
    return {
      lifecycles: LIFECYCLES,
      serverCpuMsPerLifecycle: { tabs0: without, [`tabs${DASHBOARD_TABS}`]: withTabs } as Record<
        string,
        number
      >,
      extraCpuMsPerTab: round((withTabs - without) / DASHBOARD_TABS),
      note: 'server CPU from /proc in 10 ms ticks, sequential lifecycles over HTTP',
    };
  } finally {
    for (const t of tabs) t.held.close();
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const keys = await agentKeyPair();
  const sampleBody = await sealFor(keys.publicKey, newId('otp'));
  const bare = await baseline(sampleBody);
  const tabs = await onFreshRelay(dashboardTabs);
  const longPoll = await onFreshRelay((relay) =>
    relayWaiters(relay, 'relay long-poll', (id) => `/api/v1/otp/${id}?wait=60`, 10),
  );
  const sse = await onFreshRelay((relay) =>
    relayWaiters(relay, 'relay SSE', (id) => `/api/v1/otp/${id}/events`, 20),
  );
  const ratio = (a: number, b: number) => round(a / b);
  const row = (figure: string, value: number, baseline: number, unit: string): SummaryRow => ({
    figure,
    value: `${value} ${unit}`,
    baseline: `${baseline} ${unit}`,
    ratio: `${Math.round((value / baseline) * 100)}%`,
  });
  const tabsWith = tabs.serverCpuMsPerLifecycle[`tabs${DASHBOARD_TABS}`]!;
  const summary: SummaryRow[] = [
    row(`${WAITERS} long-polls: wake-up p99`, longPoll.p99Ms, bare.p99Ms, 'ms'),
    row(`${WAITERS} long-polls: server RSS`, longPoll.rssParkedMb, bare.rssParkedMb, 'MB'),
    row('memory per long-poll waiter', longPoll.kbPerWaiter, bare.kbPerWaiter, 'KB'),
    row(`${WAITERS} event streams: wake-up p99`, sse.p99Ms, bare.p99Ms, 'ms'),
    row(`${WAITERS} event streams: server RSS`, sse.rssParkedMb, bare.rssParkedMb, 'MB'),
    row('memory per event-stream waiter', sse.kbPerWaiter, bare.kbPerWaiter, 'KB'),
    row(
      `CPU per lifecycle, ${DASHBOARD_TABS} dashboards open`,
      tabsWith,
      tabs.serverCpuMsPerLifecycle.tabs0!,
      'ms',
    ),
  ];
  return {
    summary,
    waiters: WAITERS,
    bareNodeHttpLongPoll: bare,
    relayLongPoll: longPoll,
    relaySse: sse,
    ratios: {
      longPollP99: ratio(longPoll.p99Ms, bare.p99Ms),
      longPollRssParked: ratio(longPoll.rssParkedMb, bare.rssParkedMb),
      longPollKbPerWaiter: ratio(longPoll.kbPerWaiter, bare.kbPerWaiter),
      sseP99: ratio(sse.p99Ms, bare.p99Ms),
      sseRssParked: ratio(sse.rssParkedMb, bare.rssParkedMb),
      sseKbPerWaiter: ratio(sse.kbPerWaiter, bare.kbPerWaiter),
      goals: 'p99 ≤ 3× and RSS ≤ 2× the bare node:http long-poll',
    },
    dashboardTabs: tabs,
    note: 'server and client share the machine; wake-up includes the delivery request itself (its round trip is shown apart); each relay phase on a fresh install',
  };
}
