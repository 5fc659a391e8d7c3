/**
 * Load on a served relay with CPU accounting: whole lifecycles for a while, then each step
 * as its own phase over N requests, each reported with the server's CPU, its PostgreSQL
 * backends' CPU and this (client) process's CPU per operation.
 */
import {
  type AgentKey,
  approveRequest,
  consumeRequest,
  createRequest,
  deliverSealed,
  runLifecycle,
  sealCode,
} from './lifecycle-steps.js';
import { round } from './load-helpers.js';
import { cpuDelta, ownCpuMs } from './proc-stats.js';
import type { ServedRelay } from './served-relay.js';
import type { Step } from './statement-figures.js';

export interface MeasuredPhase {
  operations: number;
  perSecond: number;
  serverCpuMsPerOperation: number;
  /** PostgreSQL backends' CPU per operation; absent on SQLite. */
  databaseCpuMsPerOperation?: number;
  clientCpuMsPerOperation: number;
}

async function measured(relay: ServedRelay, work: () => Promise<number>): Promise<MeasuredPhase> {
  const serverBefore = relay.serverCpuMs();
  const databaseBefore = await relay.databaseCpu();
  const clientBefore = ownCpuMs();
  const started = performance.now();
  const operations = await work();
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = ownCpuMs() - clientBefore;
  const serverCpu = relay.serverCpuMs() - serverBefore;
  const databaseAfter = await relay.databaseCpu();
  const per = (ms: number) => round(ms / Math.max(1, operations));
  return {
    operations,
    perSecond: Math.round((operations / seconds) * 10) / 10,
    serverCpuMsPerOperation: per(serverCpu),
    ...(databaseAfter.size > 0
      ? { databaseCpuMsPerOperation: per(cpuDelta(databaseBefore, databaseAfter)) }
      : {}),
    clientCpuMsPerOperation: per(clientCpu),
  };
}

/** Runs `fn` over `items` from `concurrency` loops. */
async function eachConcurrently<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Whole lifecycles from `concurrency` agents for `seconds`, each agent cycling through the key pool. */
export function lifecyclesFor(
  relay: ServedRelay,
  keys: AgentKey[],
  seconds: number,
  concurrency: number,
): Promise<MeasuredPhase> {
  return measured(relay, async () => {
    let completed = 0;
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let i = worker; Date.now() < deadline; i += concurrency) {
          await runLifecycle(relay, keys[i % keys.length]!);
          completed++;
        }
      }),
    );
    return completed;
  });
}

/**
 * Each step as its own phase: create up to `maxRequests` requests (stopping after
 * `maxSeconds` on a slow machine), approve them all, seal every code (client work, outside
 * any phase), deliver them all, consume them all.
 */
export async function perStepPhases(
  relay: ServedRelay,
  keys: AgentKey[],
  options: { maxRequests: number; maxSeconds: number; concurrency: number },
): Promise<Record<Step, MeasuredPhase>> {
  const requests: { key: AgentKey; id: string; jwe: string }[] = [];
  const create = await measured(relay, async () => {
    const deadline = Date.now() + options.maxSeconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (requests.length < options.maxRequests && Date.now() < deadline) {
          const request = { key: keys[requests.length % keys.length]!, id: '', jwe: '' };
          requests.push(request);
          request.id = await createRequest(relay, request.key);
        }
      }),
    );
    return requests.length;
  });
  const approve = await measured(relay, async () => {
    await eachConcurrently(requests, options.concurrency, (request) => approveRequest(relay, request.id));
    return requests.length;
  });
  for (const request of requests) request.jwe = await sealCode(request.key, request.id);
  const deliver = await measured(relay, async () => {
    await eachConcurrently(requests, options.concurrency, (request) =>
      deliverSealed(relay, request.id, request.jwe),
    );
    return requests.length;
  });
  const consume = await measured(relay, async () => {
    await eachConcurrently(requests, options.concurrency, async (request) => {
      await consumeRequest(relay, request.id);
    });
    return requests.length;
  });
  return { create, approve, deliver, consume };
}
