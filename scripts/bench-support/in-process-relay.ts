/**
 * A relay started in this process on a fresh database whose statements are counted, to
 * count statements per lifecycle and per step and to capture the exact statement list the
 * bare-driver baselines replay.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@agent-otp/config';
import {
  createAgent,
  createCaptureSource,
  createOwnerToken,
  ensureDefaultOwner,
  SYSTEM_ACTOR,
} from '@agent-otp/core';
import { openDatabase } from '@agent-otp/db';
import { createApp, createServices } from '@agent-otp/server';
import { serve } from '@hono/node-server';
import { dropPostgresSchema, postgresUrl } from '../../test-support/postgres.js';
import { countStatements, type StatementCounter } from '../../test-support/statement-counter.js';
import type { RelayCredentials } from './lifecycle-steps.js';

export type Dialect = 'sqlite' | 'postgres';

export interface CountedRelay extends RelayCredentials {
  counter: StatementCounter;
  dataDir: string;
  /** PostgreSQL schema the relay lives in (the replay baseline uses it too). */
  schema?: string;
  /** Stops the HTTP server and closes the database; the data stays for a replay. */
  stop(): Promise<void>;
  /** Removes the data (SQLite folder, PostgreSQL schema). */
  cleanup(): Promise<void>;
}

export async function startCountedRelay(dialect: Dialect): Promise<CountedRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-bench-'));
  const schema = dialect === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const original = await openDatabase(
    dialect === 'postgres' ? { databaseUrl: postgresUrl, dataDir, postgresSchema: schema! } : { dataDir },
  );
  const { handle, counter } = countStatements(original);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
  });
  const services = await createServices(config, { database: handle });
  const app = createApp(services);
  // Every statement a request causes is labelled with its method and path, so per-step
  // counts leave out the relay's background jobs (outbox poller, sweeps).
  const server = serve({
    fetch: (request, env) =>
      counter.scoped(`${request.method} ${new URL(request.url).pathname}`, () => app.fetch(request, env)),
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const ctx = services.ctx;
  let stopping: Promise<void> | undefined;
  const owner = await ensureDefaultOwner(ctx);
  const { apiKey } = await createAgent(ctx, { ownerId: owner.id, name: 'bench', actor: SYSTEM_ACTOR });
  const { token } = await createCaptureSource(ctx, {
    ownerId: owner.id,
    kind: 'email',
    name: 'bench',
    actor: SYSTEM_ACTOR,
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agentKey: apiKey,
    ownerToken: await createOwnerToken(ctx, owner.id, 3600),
    sourceToken: token,
    counter,
    dataDir,
    ...(schema ? { schema } : {}),
    stop() {
      stopping ??= (async () => {
        services.beginShutdown();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await services.close();
      })();
      return stopping;
    },
    async cleanup() {
      if (schema) await dropPostgresSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
