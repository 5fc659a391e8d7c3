/**
 * Issue 9: sign-in latency of the legitimate owner during a 150-connection login flood,
 * against `agent-otp serve` in its own process (SQLite, TRUST_PROXY so a connection can
 * claim an address). The flood guesses the owner's own email on 150 connections, in two
 * shapes: all from one address (as in the issue), and every guess from a new address (a
 * botnet). The owner signs in every half second from an address they have used before,
 * and an unrelated test-key OTP create runs beside them. Before the fix every guess ran
 * scrypt, so the owner waited behind them and was then locked out per email.
 */
import { createCliEnvironment } from '../../test-support/cli.js';
import { agentKeyPair, call } from '../../test-support/http.js';
import { percentile, round, stopWithin } from '../bench-support/load-helpers.js';

const FLOOD_CONNECTIONS = 150;
const WINDOW_MS = 12_000;
const OWNER_EVERY_MS = 500;
const CALL_TIMEOUT_MS = 15_000;
const OWNER_ADDRESS = '203.0.113.50';
const OWNER = { email: 'owner@bench.example', password: 'the owner’s own long passphrase' };

async function signIn(url: string, email: string, password: string, ip: string) {
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  }).catch(() => undefined);
  await res?.body?.cancel();
  return { status: res?.status ?? 0, ms: performance.now() - started };
}

const tally = (counts: Record<string, number>, status: number) => {
  const key = status === 0 ? 'timeout' : String(status);
  counts[key] = (counts[key] ?? 0) + 1;
};

type FloodShape = 'one-address' | 'many-addresses';

async function flood(url: string, agentKey: string, shape: FloodShape) {
  const keys = await agentKeyPair();
  const deadline = Date.now() + WINDOW_MS;
  const guesses: Record<string, number> = {};
  const flooding = Array.from({ length: FLOOD_CONNECTIONS }, async (_, i) => {
    let n = 0;
    while (Date.now() < deadline) {
      const ip = shape === 'one-address' ? '198.51.100.1' : `10.${i}.${Math.floor(n / 250)}.${n % 250}`;
      tally(guesses, (await signIn(url, OWNER.email, `flood guess ${shape} ${i}-${n++}`, ip)).status);
    }
  });
  const owner: Record<string, number> = {};
  const ownerMs: number[] = [];
  const createMs: number[] = [];
  let createFailures = 0;
  const legitimate = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the flood build up
    while (Date.now() < deadline) {
      const attempt = await signIn(url, OWNER.email, OWNER.password, OWNER_ADDRESS);
      tally(owner, attempt.status);
      if (attempt.status === 200) ownerMs.push(attempt.ms);
      const started = performance.now();
      const res = await call(url, '/api/v1/otp', {
        token: agentKey,
        json: { reason: 'bystander', publicKey: keys.publicKey },
      }).catch(() => undefined);
      if (res?.status === 201) createMs.push(performance.now() - started);
      else createFailures++;
      await new Promise((resolve) => setTimeout(resolve, OWNER_EVERY_MS));
    }
  })();
  await Promise.all([...flooding, legitimate]);
  ownerMs.sort((a, b) => a - b);
  createMs.sort((a, b) => a - b);
  return {
    floodStatuses: guesses,
    owner: {
      statuses: owner,
      signedInP50Ms: round(percentile(ownerMs, 50)),
      signedInP99Ms: round(percentile(ownerMs, 99)),
    },
    testKeyOtpCreate: {
      ok: createMs.length,
      failed: createFailures,
      p50Ms: round(percentile(createMs, 50)),
      p99Ms: round(percentile(createMs, 99)),
    },
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const cli = await createCliEnvironment('sqlite', {
    TRUST_PROXY: 'true',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
    LOG_LEVEL: 'warn',
  });
  const server = await cli.serve();
  try {
    const created = await cli.run(['user:create', '--email', OWNER.email, '--password', OWNER.password]);
    if (created.code !== 0) throw new Error(`user:create failed: ${created.stderr}`);
    const agent = JSON.parse(
      (await cli.run(['agent:create', '--name', 'bystander', '--test', '--json'])).stdout,
    ) as { apiKey: string };
    // The owner has used this address before the attack starts.
    const before = await signIn(server.url, OWNER.email, OWNER.password, OWNER_ADDRESS);
    return {
      floodConnections: FLOOD_CONNECTIONS,
      windowSecondsEach: WINDOW_MS / 1000,
      quietSignInMs: round(before.ms),
      oneAddress: await flood(server.url, agent.apiKey, 'one-address'),
      manyAddresses: await flood(server.url, agent.apiKey, 'many-addresses'),
      note: 'owner latency counts successful sign-ins only; statuses show 429/503 answers and client timeouts (15 s)',
    };
  } finally {
    await stopWithin(server, 5_000);
    await cli.cleanup();
  }
}
