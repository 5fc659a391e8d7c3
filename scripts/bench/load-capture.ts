/**
 * Issue 9: capture throughput and `/healthz` latency while 10 clients post 1 MB messages
 * to `POST /api/v1/capture/messages`, against `agent-otp serve` in its own process (SQLite).
 * A cubic extractor shows up here as completed ≈ 0 and health probes that time out; a
 * linear one as messages per second and a flat health latency. Runs for a fixed window, so
 * it finishes in well under a minute either way.
 */
import { createCliEnvironment } from '../../test-support/cli.js';
import { agentKeyPair, call } from '../../test-support/http.js';
import { percentile, round, stopWithin } from '../bench-support/load-helpers.js';

const CLIENTS = 10;
const WINDOW_MS = 15_000;
const PROBE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 5_000;
/** Open requests of the one agent that every message matches, kept topped up, so each message is matched and extracted. */
const OPEN_REQUESTS = 50;

/** About 1 MB of HTML in which a code-like phrase repeats: the issue's worst case. */
function megabyteMessage(): string {
  const line = '<p>Your code is 482913. Please do not share it.</p>\n';
  return line.repeat(Math.floor(1_000_000 / line.length));
}

export default async function bench(): Promise<Record<string, unknown>> {
  const cli = await createCliEnvironment('sqlite', {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
    LOG_LEVEL: 'warn',
  });
  const server = await cli.serve();
  try {
    const agent = JSON.parse((await cli.run(['agent:create', '--name', 'bench', '--json'])).stdout) as {
      apiKey: string;
    };
    const source = JSON.parse(
      (await cli.run(['source:create', '--kind', 'email', '--name', 'bench', '--json'])).stdout,
    ) as { token: string };
    const keys = await agentKeyPair();
    const openRequest = async () => {
      const created = await call(server.url, '/api/v1/otp', {
        token: agent.apiKey,
        json: {
          reason: 'load',
          filter: { sources: ['email'], senderPattern: '*@bench.example' },
          publicKey: keys.publicKey,
        },
      });
      if (created.status !== 201) throw new Error(`create failed: ${created.status}`);
    };
    for (let i = 0; i < OPEN_REQUESTS; i++) await openRequest();
    const html = megabyteMessage();
    const body = JSON.stringify({ from: 'codes@bench.example', subject: 'Your code', html });

    const deadline = Date.now() + WINDOW_MS;
    const stop = new AbortController();
    const outcomes: Record<string, number> = {};
    let completed = 0;
    const posting = Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < deadline) {
        const res = await fetch(`${server.url}/api/v1/capture/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${source.token}`, 'content-type': 'application/json' },
          body,
          signal: stop.signal,
        }).catch(() => undefined);
        if (!res) return;
        const result = (await res.json().catch(() => ({}))) as { reason?: string; requestId?: string };
        const reason = result.reason;
        const key = `${res.status}${reason ? ` ${reason}` : ''}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        completed++;
        // Each delivery uses up a request; replace it so every message is matched and extracted.
        if (reason === 'delivered' && result.requestId) {
          // Cancel the served one first: the agent's open requests are capped.
          await call(server.url, `/api/v1/otp/${result.requestId}`, {
            method: 'DELETE',
            token: agent.apiKey,
          });
          await openRequest().catch(() => undefined);
        }
      }
    });
    const probes: number[] = [];
    let probeTimeouts = 0;
    const probing = (async () => {
      while (Date.now() < deadline) {
        const started = performance.now();
        const ok = await fetch(`${server.url}/healthz`, {
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) probes.push(performance.now() - started);
        else probeTimeouts++;
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
    })();
    await probing;
    stop.abort();
    await Promise.all(posting);
    probes.sort((a, b) => a - b);
    return {
      clients: CLIENTS,
      messageBytes: body.length,
      windowSeconds: WINDOW_MS / 1000,
      messagesCompleted: completed,
      messagesPerSecond: round(completed / (WINDOW_MS / 1000)),
      outcomes,
      healthz: {
        probes: probes.length,
        timedOut: probeTimeouts,
        p50Ms: round(percentile(probes, 50)),
        p99Ms: round(percentile(probes, 99)),
        maxMs: round(probes.at(-1) ?? Number.NaN),
      },
    };
  } finally {
    await stopWithin(server, 5_000);
    await cli.cleanup();
  }
}
