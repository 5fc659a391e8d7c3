/**
 * The cheapest HTTP client Node has, for benchmarks that hold thousands of connections:
 * one raw socket per request and no parser, so the figures measure the server and not
 * undici's per-request state. Shared by the waiter benchmark's relay and bare baselines,
 * so both are measured by the same client.
 */

import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface HeldRequest {
  /** Resolves with `performance.now()` when `marker` first appears in what came back. */
  arrived: Promise<number>;
  close(): void;
}

/**
 * Sends `GET path` on a new socket from `localAddress` (127.0.0.x: several source
 * addresses keep 10,000 sockets per phase clear of the ephemeral-port range) and watches
 * the bytes for `marker`; resolves `connected` once the request is written.
 */
export function holdRequest(
  target: { host: string; port: number },
  localAddress: string,
  path: string,
  headers: Record<string, string>,
  marker: string,
): { connected: Promise<void>; held: HeldRequest } {
  const socket: Socket = connect({ host: target.host, port: target.port, localAddress });
  let tail = '';
  let resolveArrived!: (at: number) => void;
  let rejectArrived!: (error: Error) => void;
  const arrived = new Promise<number>((resolve, reject) => {
    resolveArrived = resolve;
    rejectArrived = reject;
  });
  // A marker can straddle two chunks; keep just enough of the previous one to see it.
  socket.on('data', (chunk: Buffer) => {
    const text = tail + chunk.toString('latin1');
    if (text.includes(marker)) resolveArrived(performance.now());
    tail = text.slice(-marker.length);
  });
  socket.on('error', (error) => rejectArrived(error));
  socket.on('close', () => rejectArrived(new Error(`closed before ${marker} arrived`)));
  arrived.catch(() => undefined);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${lines.join('')}\r\n`);
      resolve();
    });
    socket.once('error', reject);
  });
  return { connected, held: { arrived, close: () => socket.destroy() } };
}

/** A process's resident memory in MB, from /proc (Linux). */
export function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : Number.NaN;
}

/** A process's CPU time (user + system) so far, in ms, from /proc (Linux; 10 ms ticks). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; after the `comm)` split they are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Resolves once `pid` has used under 20 ms of CPU in a 300 ms window (or after `maxMs`):
 * the server has taken in every request sent so far and is idle.
 */
export async function untilQuiet(pid: number, maxMs = 20_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = cpuMs(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuMs(pid);
    if (now - last < 20) return;
    last = now;
  }
}
