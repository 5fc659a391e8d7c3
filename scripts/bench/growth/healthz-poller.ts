/**
 * Polls `/healthz` back to back from a separate process, so a blocked relay event loop
 * shows up as one long wait (the poller's own loop is never the one blocked).
 */
import { type ChildProcess, spawn } from 'node:child_process';

const POLLER = `
const url = process.argv[1];
let stop = false;
let max = 0;
let count = 0;
process.stdin.on('data', () => { stop = true; });
(async () => {
  while (!stop) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    max = Math.max(max, performance.now() - started);
    count++;
  }
  process.stdout.write(JSON.stringify({ maxMs: max, count }));
  process.exit(0);
})();
`;

export interface HealthzPoller {
  /** Stops polling; the longest single wait and how many answers came back. */
  stop(): Promise<{ maxMs: number; count: number }>;
}

/** Starts polling `${url}/healthz`; resolves once the first answer came back. */
export async function pollHealthz(url: string): Promise<HealthzPoller> {
  const child: ChildProcess = spawn(process.execPath, ['-e', POLLER, `${url}/healthz`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Give the poller time to start and answer at least once before the caller's work starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    async stop() {
      child.stdin!.write('stop\n');
      await exited;
      return JSON.parse(output) as { maxMs: number; count: number };
    },
  };
}
