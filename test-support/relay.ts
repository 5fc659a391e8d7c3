import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@agent-otp/config';
import {
  type CoreContext,
  createAgent,
  createCaptureSource,
  createOwnerToken,
  ensureDefaultOwner,
  type Owner,
  SYSTEM_ACTOR,
} from '@agent-otp/core';
import { type DatabaseHandle, openDatabase } from '@agent-otp/db';
import { type RunningServer, startServer } from '@agent-otp/server';
import pg from 'pg';
import { postgresUrl } from './postgres.js';
import type { Dialect } from './services.js';

/** A relay running on loopback for one test file, on a fresh database. */
export interface TestRelay {
  url: string;
  dialect: Dialect;
  server: RunningServer;
  ctx: CoreContext;
  owner: Owner;
  /** An owner bearer token (what the CLI uses). */
  ownerToken: string;
  /** Every log line the server wrote. */
  logs: string[];
  dataDir: string;
  createAgent(options?: {
    name?: string;
    test?: boolean;
    ownerId?: string;
  }): Promise<{ id: string; apiKey: string }>;
  createSource(kind: 'sms' | 'email', ownerId?: string): Promise<{ id: string; token: string }>;
  /** Owner API call helper. */
  ownerFetch(path: string, init?: RequestInit): Promise<Response>;
  /** Every row of every table, as text, for plaintext scans. */
  dumpDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export interface TestRelayOptions {
  env?: Record<string, string>;
  /** Reuse a database (e.g. two instances on one PostgreSQL schema). */
  shareWith?: TestRelay;
  /** PostgreSQL: reach the test cluster through this URL instead (e.g. a proxy the test can cut). */
  databaseUrl?: string;
}

/**
 * Starts the real server (real HTTP on 127.0.0.1, real SQLite file or a fresh PostgreSQL
 * schema) with a log sink the test can read.
 */
export async function startTestRelay(dialect: Dialect, options: TestRelayOptions = {}): Promise<TestRelay> {
  const dataDir = options.shareWith?.dataDir ?? mkdtempSync(join(tmpdir(), 'agent-otp-test-'));
  const schema = options.shareWith ? undefined : `t_${randomBytes(6).toString('hex')}`;
  let database: DatabaseHandle;
  let dropSchema: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const sharedSchema = options.shareWith?.ctx.database.postgres?.schema;
    const useSchema = sharedSchema ?? schema!;
    database = await openDatabase({
      databaseUrl: options.databaseUrl ?? postgresUrl,
      dataDir,
      postgresSchema: useSchema,
      poolSize: 20,
    });
    if (!options.shareWith) {
      dropSchema = async () => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${useSchema} CASCADE`);
        await client.end();
      };
    }
  } else {
    database = await openDatabase({ dataDir });
  }
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
    // Suites walk every route with wrong credentials from 127.0.0.1; the budget has its own tests.
    AUTH_FAILURES_PER_MINUTE: '100000',
    SWEEP_INTERVAL_MS: '200',
    ...options.env,
  });
  let server: RunningServer;
  try {
    server = await startServer(config, { database, logDestination: sink });
  } catch (error) {
    // A relay that refuses to start (a test of start-up checks) must not leak its pool.
    await database.close();
    await dropSchema?.();
    if (!options.shareWith) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const ctx = server.services.ctx;
  const owner = await ensureDefaultOwner(ctx);
  const ownerToken = await createOwnerToken(ctx, owner.id, 3600);
  const url = server.url;

  return {
    url,
    dialect,
    server,
    ctx,
    owner,
    ownerToken,
    logs,
    dataDir,
    async createAgent({ name = 'test-agent', test = false, ownerId = owner.id } = {}) {
      const { agent, apiKey } = await createAgent(ctx, { ownerId, name, test, actor: SYSTEM_ACTOR });
      return { id: agent.id, apiKey };
    },
    async createSource(kind, ownerId = owner.id) {
      const { source, token } = await createCaptureSource(ctx, {
        ownerId,
        kind,
        name: `${kind}-source`,
        actor: SYSTEM_ACTOR,
      });
      return { id: source.id, token };
    },
    ownerFetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${ownerToken}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...init, headers });
    },
    async dumpDatabase() {
      const tables = [
        'users',
        'sessions',
        'agents',
        'api_keys',
        'capture_sources',
        'otp_requests',
        'permission_requests',
        'policies',
        'audit_events',
        'held_messages',
        'held_message_candidates',
        'webhook_outbox',
      ] as const;
      const parts: string[] = [];
      for (const table of tables)
        parts.push(JSON.stringify(await ctx.database.db.selectFrom(table).selectAll().execute()));
      return parts.join('\n');
    },
    async stop() {
      await server.stop();
      await database.close();
      await dropSchema?.();
      if (!options.shareWith) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
