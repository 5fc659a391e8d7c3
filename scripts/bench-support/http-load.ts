/**
 * A small closed-loop HTTP load generator on node:http with keep-alive: `concurrency`
 * connections each send the next request when the previous answer has been read. Lighter
 * per request than fetch, so the client leaves more of the machine to the server.
 */
import { Agent, request } from 'node:http';
import { ownCpuMs } from './proc-stats.js';

export interface LoadResult {
  requests: number;
  perSecond: number;
  /** Answers with another status than `expectStatus` (or transport errors). */
  failures: number;
  /** CPU this process spent generating the load, per request, in ms. */
  clientCpuMsPerRequest: number;
  concurrency: number;
  seconds: number;
}

function once(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** GETs `url` from `concurrency` connections for `seconds` and reports the rate. */
export async function loadGet(
  url: string,
  options: { headers?: Record<string, string>; concurrency: number; seconds: number; expectStatus?: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(url);
  const headers = options.headers ?? {};
  const expect = options.expectStatus ?? 200;
  // A short warm-up opens the connections and lets both sides' JIT settle.
  const warmUntil = Date.now() + 300;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < warmUntil) await once(agent, target, headers);
    }),
  );
  let requests = 0;
  let failures = 0;
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  const deadline = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < deadline) {
        const status = await once(agent, target, headers);
        requests++;
        if (status !== expect) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = ownCpuMs() - cpuBefore;
  agent.destroy();
  return {
    requests,
    perSecond: Math.round(requests / elapsed),
    failures,
    clientCpuMsPerRequest: Math.round((cpu / Math.max(1, requests)) * 1000) / 1000,
    concurrency: options.concurrency,
    seconds: options.seconds,
  };
}
