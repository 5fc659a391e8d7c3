/**
 * A small closed-loop HTTP load generator on node:http with keep-alive: `concurrency`
 * connections each send the next request when the previous answer has been read. Lighter
 * per request than fetch, so the client leaves more of the machine to the server.
 */
import { Agent, request } from 'node:http';
import { ownCpuMs, processCpuMs } from './proc-stats.js';

export interface LoadResult {
  requests: number;
  perSecond: number;
  /** Answers with another status than expected (or transport errors). */
  failures: number;
  /** CPU the server process spent per request, in ms (less sensitive to a busy machine than the rate). */
  serverCpuMsPerRequest: number;
  /** CPU this process spent generating the load, per request, in ms. */
  clientCpuMsPerRequest: number;
  concurrency: number;
  seconds: number;
}

interface Totals {
  requests: number;
  failures: number;
  seconds: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

export interface GetTarget {
  url: string;
  /** The server's process id, for its CPU. */
  pid: number;
  headers?: Record<string, string>;
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

async function burst(agent: Agent, target: GetTarget, concurrency: number, seconds: number): Promise<Totals> {
  const url = new URL(target.url);
  const headers = target.headers ?? {};
  const totals: Totals = { requests: 0, failures: 0, seconds: 0, serverCpuMs: 0, clientCpuMs: 0 };
  const serverBefore = processCpuMs(target.pid);
  const clientBefore = ownCpuMs();
  const started = performance.now();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const status = await once(agent, url, headers);
        totals.requests++;
        if (status !== 200) totals.failures++;
      }
    }),
  );
  totals.seconds = (performance.now() - started) / 1000;
  totals.clientCpuMs = ownCpuMs() - clientBefore;
  totals.serverCpuMs = processCpuMs(target.pid) - serverBefore;
  return totals;
}

const thousandths = (value: number) => Math.round(value * 1000) / 1000;

function summarize(totals: Totals[], concurrency: number): LoadResult {
  const sum = (key: keyof Totals) => totals.reduce((total, part) => total + part[key], 0);
  const requests = sum('requests');
  return {
    requests,
    perSecond: Math.round(requests / sum('seconds')),
    failures: sum('failures'),
    serverCpuMsPerRequest: thousandths(sum('serverCpuMs') / Math.max(1, requests)),
    clientCpuMsPerRequest: thousandths(sum('clientCpuMs') / Math.max(1, requests)),
    concurrency,
    seconds: thousandths(sum('seconds')),
  };
}

/**
 * GETs two targets (the relay and its baseline) in alternating bursts, `rounds` of
 * `secondsEach` each, so a change in the machine's load during the run hits both alike.
 */
export async function compareGets(
  subject: GetTarget,
  baseline: GetTarget,
  options: { concurrency: number; rounds: number; secondsEach: number },
): Promise<{ relay: LoadResult; helloWorld: LoadResult }> {
  const agents = [subject, baseline].map(
    () => new Agent({ keepAlive: true, maxSockets: options.concurrency }),
  );
  // A short warm-up opens the connections and lets both sides' JIT settle.
  await burst(agents[0]!, subject, options.concurrency, 0.3);
  await burst(agents[1]!, baseline, options.concurrency, 0.3);
  const subjectTotals: Totals[] = [];
  const baselineTotals: Totals[] = [];
  for (let i = 0; i < options.rounds; i++) {
    subjectTotals.push(await burst(agents[0]!, subject, options.concurrency, options.secondsEach));
    baselineTotals.push(await burst(agents[1]!, baseline, options.concurrency, options.secondsEach));
  }
  for (const agent of agents) agent.destroy();
  return {
    relay: summarize(subjectTotals, options.concurrency),
    helloWorld: summarize(baselineTotals, options.concurrency),
  };
}
