/**
 * `agent-otp serve` in its own process (the built CLI, as operators run it) on a fresh
 * SQLite folder or PostgreSQL database, with an agent, an email capture source and an owner
 * token, plus readers for the server's CPU and memory and its PostgreSQL backends' CPU.
 */

import { fileURLToPath } from 'node:url';
import { loadConfig } from '@agent-otp/config';
import { createOwnerToken, ensureDefaultOwner, InProcessEventBus, systemClock } from '@agent-otp/core';
import { openDatabase } from '@agent-otp/db';
import { createLogger, openAuditKey } from '@agent-otp/server';
import pg from 'pg';
import { createCliEnvironment } from '../../test-support/cli.js';
import type { Dialect } from './in-process-relay.js';
import type { RelayCredentials } from './lifecycle-steps.js';
import { cpuOf, processCpuMs, processMemoryMb } from './proc-stats.js';

const PROFILER = fileURLToPath(new URL('./profile-on-exit.mjs', import.meta.url));

export interface ServedRelay extends RelayCredentials {
  pid: number;
  serverCpuMs(): number;
  serverMemory(): { rssMb: number; peakRssMb: number };
  /** CPU so far of each PostgreSQL backend serving the relay's database (empty on SQLite). */
  databaseCpu(): Promise<Map<number, number>>;
  tearDown(): Promise<void>;
}

export async function startServedRelay(dialect: Dialect): Promise<ServedRelay> {
  // The benchmark measures the relay, not its per-key rate limit (the GET figure sends
  // thousands of requests a second with one key) nor the cap on fresh connections.
  const cli = await createCliEnvironment(dialect, {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '100000',
    OPEN_REQUESTS_PER_AGENT: '2000',
    MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS: '100000',
    // BENCH_PROFILE_DIR=/some/folder writes the server's CPU profile there on exit.
    ...(process.env.BENCH_PROFILE_DIR
      ? { BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR, NODE_OPTIONS: `--import ${PROFILER}` }
      : {}),
  });
  const server = await cli.serve();
  const pid = server.process.pid!;
  const agent = JSON.parse((await cli.run(['agent:create', '--name', 'bench', '--json'])).stdout) as {
    apiKey: string;
  };
  const source = JSON.parse(
    (await cli.run(['source:create', '--kind', 'email', '--name', 'bench', '--json'])).stdout,
  ) as { token: string };
  const database = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.env.DATA_DIR! });
  const auditKey = await openAuditKey(
    loadConfig({ DATA_DIR: cli.env.DATA_DIR, DATABASE_URL: cli.env.DATABASE_URL }),
    database,
    createLogger('silent'),
  );
  const ctx = {
    database,
    auditKey,
    bus: new InProcessEventBus(),
    clock: systemClock,
    publicUrl: server.url,
    lookbackSeconds: 120,
  };
  const ownerToken = await createOwnerToken(ctx, (await ensureDefaultOwner(ctx)).id, 3600);
  await database.close();

  let monitor: pg.Client | undefined;
  if (dialect === 'postgres') {
    monitor = new pg.Client({ connectionString: cli.env.DATABASE_URL });
    await monitor.connect();
  }
  return {
    url: server.url,
    agentKey: agent.apiKey,
    sourceToken: source.token,
    ownerToken,
    pid,
    serverCpuMs: () => processCpuMs(pid),
    serverMemory: () => processMemoryMb(pid),
    async databaseCpu() {
      if (!monitor) return new Map();
      const { rows } = await monitor.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      return cpuOf(rows.map((row) => row.pid));
    },
    async tearDown() {
      await monitor?.end();
      await server.stop();
      await cli.cleanup();
    },
  };
}
