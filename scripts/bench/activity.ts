/**
 * The activity charts at scale (issue 15): `GET /api/v1/activity` over HTTP on a relay whose
 * owner has 100,000 OTP requests and 10,000 permission requests (the growth benchmark's
 * history: one request every 3 s, so all of it falls in the last 14 days), against the same
 * call on the fresh relay. Figures for SQLite and PostgreSQL; the durations are measured over
 * the newest 5,000 decided requests of each kind (`durationsSampled`), the counts over all.
 */
import { parseAgentPublicKey } from '@agent-otp/shared';
import { growRequests } from '../../test-support/grow-history.js';
import { agentKeyPair, call } from '../../test-support/http.js';
import { postgresAvailable } from '../../test-support/postgres.js';
import { startTestRelay, type TestRelay } from '../../test-support/relay.js';

const REQUESTS = 100_000;
const ROUNDS = 10;

/** Median and slowest of `ROUNDS` calls, in ms, and what the last one answered. */
async function time(relay: TestRelay, path: string) {
  const samples: number[] = [];
  let body: { summary?: { requests: number; durationsSampled: boolean } } = {};
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const answer = await call(relay.url, path, { token: relay.ownerToken });
    samples.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
    body = answer.body;
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: Math.round(samples[Math.floor(ROUNDS / 2)] ?? 0),
    maxMs: Math.round(samples.at(-1) ?? 0),
    requestsCounted: body.summary?.requests,
    durationsSampled: body.summary?.durationsSampled,
  };
}

async function figures(relay: TestRelay, agentId: string) {
  return {
    days14: await time(relay, '/api/v1/activity?days=14'),
    days90: await time(relay, '/api/v1/activity?days=90'),
    oneAgent: await time(relay, `/api/v1/activity?days=14&agentId=${agentId}`),
  };
}

async function run(dialect: 'sqlite' | 'postgres') {
  const relay = await startTestRelay(dialect, { env: { LOG_LEVEL: 'warn', SWEEP_INTERVAL_MS: '5000' } });
  try {
    const agent = await relay.createAgent({ name: 'activity' });
    const keys = await agentKeyPair();
    const parsed = await parseAgentPublicKey(keys.publicKey);
    const apiKey = await relay.ctx.database.db
      .selectFrom('api_keys')
      .select('id')
      .where('agent_id', '=', agent.id)
      .executeTakeFirstOrThrow();
    const fresh = await figures(relay, agent.id);
    await growRequests(
      {
        ctx: relay.ctx,
        ownerId: relay.owner.id,
        agentId: agent.id,
        apiKeyId: apiKey.id,
        publicKey: keys.publicKey,
        keyFingerprint: parsed.fingerprint,
      },
      REQUESTS,
    );
    // The keep-alive socket idled past the server's timeout while the rows were written: the
    // first call after may meet its reset, so one throwaway call opens a fresh one.
    await fetch(`${relay.url}/healthz`).catch(() => undefined);
    const grown = await figures(relay, agent.id);
    return { requests: REQUESTS, permissions: REQUESTS / 10, rounds: ROUNDS, fresh, grown };
  } finally {
    await relay.stop();
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  return {
    sqlite: await run('sqlite'),
    postgres: postgresAvailable() ? await run('postgres') : 'PostgreSQL not available',
  };
}
