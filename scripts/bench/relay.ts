/**
 * The core relay's figures: full lifecycles per second (create → approve → deliver →
 * consume, over real HTTP against `agent-otp serve` in its own process) on SQLite and
 * PostgreSQL, and the wake-up latency from a delivery to a waiting agent's response with
 * 1,000 agents long-polling at once.
 */

import { loadConfig } from '@agent-otp/config';
import { createOwnerToken, ensureDefaultOwner, InProcessEventBus, systemClock } from '@agent-otp/core';
import { openDatabase } from '@agent-otp/db';
import { createLogger, openAuditKey } from '@agent-otp/server';
import { decryptOtpPayloadFor, encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { createCliEnvironment } from '../../test-support/cli.js';
import { agentKeyPair, call } from '../../test-support/http.js';
import { postgresAvailable } from '../../test-support/postgres.js';

type Dialect = 'sqlite' | 'postgres';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function setUp(dialect: Dialect) {
  // The benchmark measures the relay, not its per-key rate limit nor the per-agent cap on
  // open requests (the wake-up test holds 1000 open at once), nor the caps on waits per key
  // and on fresh connections per address (those 1000 long-polls share one key and loopback).
  const cli = await createCliEnvironment(dialect, {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
    OPEN_REQUESTS_PER_AGENT: '2000',
    MAX_WAITS_PER_CREDENTIAL: '10000',
    MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS: '100000',
  });
  const server = await cli.serve();
  const agent = JSON.parse((await cli.run(['agent:create', '--name', 'bench', '--json'])).stdout) as {
    apiKey: string;
  };
  const source = JSON.parse(
    (await cli.run(['source:create', '--kind', 'email', '--name', 'bench', '--json'])).stdout,
  ) as {
    token: string;
  };
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
  return {
    url: server.url,
    agentKey: agent.apiKey,
    sourceToken: source.token,
    ownerToken,
    async tearDown() {
      await database.close();
      await server.stop();
      await cli.cleanup();
    },
  };
}

type Relay = Awaited<ReturnType<typeof setUp>>;

async function deliver(relay: Relay, id: string, publicKey: string, code: string) {
  const key = await parseAgentPublicKey(publicKey);
  const jwe = await encryptOtpPayload(key.key, key.fingerprint, {
    code,
    source: 'email',
    sender: 'bench@example.com',
    receivedAt: new Date().toISOString(),
    requestId: id,
  });
  const res = await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
    token: relay.sourceToken,
    json: { encryptedPayload: jwe },
  });
  if (res.status !== 200) throw new Error(`deliver failed: ${res.status} ${JSON.stringify(res.body)}`);
}

async function lifecyclesPerSecond(relay: Relay, seconds: number, concurrency: number) {
  const keys = await agentKeyPair();
  let completed = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const created = await call(relay.url, '/api/v1/otp', {
          token: relay.agentKey,
          json: { reason: 'bench', filter: { sources: ['email'] }, publicKey: keys.publicKey },
        });
        const id = created.body.id as string;
        await call(relay.url, `/api/v1/requests/${id}/approve`, { method: 'POST', token: relay.ownerToken });
        await deliver(relay, id, keys.publicKey, '123456');
        const consumed = await call(relay.url, `/api/v1/otp/${id}/consume`, {
          method: 'POST',
          token: relay.agentKey,
        });
        await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, id);
        completed++;
      }
    }),
  );
  return {
    lifecycles: completed,
    perSecond: Math.round((completed / ((performance.now() - started) / 1000)) * 10) / 10,
    concurrency,
  };
}

async function wakeUpLatency(relay: Relay, waiters: number) {
  const keys = await agentKeyPair();
  const ids: string[] = [];
  for (let i = 0; i < waiters; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, waiters - i) }, () =>
        call(relay.url, '/api/v1/otp', {
          token: relay.agentKey,
          json: { reason: 'wake', filter: { sources: ['email'] }, publicKey: keys.publicKey },
        }),
      ),
    );
    for (const res of batch) ids.push(res.body.id as string);
  }
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids
        .slice(i, i + 50)
        .map((id) =>
          call(relay.url, `/api/v1/requests/${id}/approve`, { method: 'POST', token: relay.ownerToken }),
        ),
    );
  }
  const woke = new Map<string, number>();
  const waiting = ids.map((id) =>
    call(relay.url, `/api/v1/otp/${id}?wait=60`, { token: relay.agentKey }).then((res) => {
      woke.set(id, performance.now());
      return res.body.status as string;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let every long-poll reach the server
  const latencies: number[] = [];
  for (const id of ids) {
    const before = performance.now();
    await deliver(relay, id, keys.publicKey, '654321');
    while (!woke.has(id)) await new Promise((resolve) => setImmediate(resolve));
    latencies.push(woke.get(id)! - before);
  }
  const statuses = await Promise.all(waiting);
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    waiters,
    woken: statuses.filter((s) => s === 'otp_received').length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    note: 'from just before the capture source posts the ciphertext to the waiting agent holding the response',
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dialects: Dialect[] = postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite'];
  const results: Record<string, unknown> = {};
  for (const dialect of dialects) {
    const relay = await setUp(dialect);
    try {
      results[dialect] = {
        fullLifecycles: await lifecyclesPerSecond(relay, 5, 8),
        wakeUp: await wakeUpLatency(relay, 1000),
      };
    } finally {
      await relay.tearDown();
    }
  }
  if (!postgresAvailable()) results.postgres = 'skipped: PostgreSQL not reachable';
  return results;
}
