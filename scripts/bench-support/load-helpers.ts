/** Shared by the load benchmarks (load-capture, login-flood). */
import type { ChildProcess } from 'node:child_process';

/** The value at percentile `p` of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const round = (value: number) => Math.round(value * 100) / 100;

/** Stops `agent-otp serve`; a server whose event loop is still blocked gets SIGKILL after `ms`. */
export async function stopWithin(
  server: { process: ChildProcess; stop(): Promise<number | null> },
  ms: number,
): Promise<void> {
  const timer = setTimeout(() => server.process.kill('SIGKILL'), ms);
  await server.stop();
  clearTimeout(timer);
}
