import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DovecotLayout } from './dovecot-config.js';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
const START_TIMEOUT_MS = 10_000;
/** How long a busy port is retried: long enough for a just-stopped instance to release it. */
const BIND_RETRY_MS = 3_000;
const STOP_GRACE_MS = 5_000;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  stderr: () => string;
}

/** One dovecot master in the foreground, in its own process group so stop() reaches every child. */
export class DovecotProcess {
  #running: Running | undefined;

  constructor(
    private readonly layout: DovecotLayout,
    private readonly ports: { port: number; tlsPort: number },
  ) {}

  async start(): Promise<void> {
    if (this.#running) return;
    const deadline = Date.now() + START_TIMEOUT_MS;
    const bindDeadline = Date.now() + BIND_RETRY_MS;
    for (;;) {
      const attempt = this.#spawn();
      let alive = true;
      const exitedEarly = attempt.exited.then(() => {
        alive = false;
        return 'exited' as const;
      });
      const ready = waitUntilServing(this.ports, deadline, () => alive).then((serving) =>
        serving ? ('ready' as const) : ('exited' as const),
      );
      const outcome = await Promise.race([ready, exitedEarly]).catch((error: unknown) => error as Error);
      if (outcome === 'ready') {
        this.#running = attempt;
        writeFileSync(this.layout.pgidPath, String(attempt.child.pid));
        attempt.exited.then(() => {
          if (this.#running === attempt) this.#running = undefined;
        });
        return;
      }
      const output = `${attempt.stderr()}\n${logTail(this.layout.logPath)}`;
      if (outcome instanceof Error) {
        await killGroup(attempt);
        throw new Error(`dovecot did not answer on 127.0.0.1:${this.ports.port} within 10 s\n${output}`);
      }
      // After a stop the kernel may hold the ports for a moment; the same ports are the point of restart().
      if (/Address already in use/.test(output) && Date.now() < bindDeadline) {
        await sleep(200);
        continue;
      }
      throw new Error(`dovecot exited while starting (exit ${attempt.child.exitCode})\n${output}`);
    }
  }

  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = undefined;
    await killGroup(running);
    rmSync(this.layout.pgidPath, { force: true });
  }

  #spawn(): Running {
    // detached: a new process group, so one signal reaches master, login, auth and imap processes.
    const child = spawn(DOVECOT_BINARY, ['-F', '-c', this.layout.confPath], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        stderr += `\nspawn failed: ${error.message}`;
        resolve();
      });
    });
    return { child, exited, stderr: () => stderr };
  }
}

/** SIGTERM lets the master kick clients (they see BYE and a close); SIGKILL is the fallback. */
async function killGroup(running: Running): Promise<void> {
  const pgid = running.child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, 'SIGTERM');
  const graceful = await Promise.race([running.exited.then(() => true), sleep(STOP_GRACE_MS, false)]);
  // Even after a clean exit, a straggler (an imap process mid-command) must not outlive the master.
  signalGroup(pgid, 'SIGKILL');
  if (!graceful) await running.exited;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is the goal.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * True once the plain port greets with `* OK` and the TLS port accepts connections; false
 * if the process died first; throws at the deadline.
 */
async function waitUntilServing(
  ports: { port: number; tlsPort: number },
  deadline: number,
  alive: () => boolean,
): Promise<boolean> {
  while (alive()) {
    if ((await greeting(ports.port)).startsWith('* OK') && (await accepts(ports.tlsPort))) return true;
    if (Date.now() > deadline) throw new Error('timeout');
    await sleep(100);
  }
  return false;
}

function greeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = (value: string) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1000, () => done(''));
    socket.on('error', () => done(''));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data);
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export function logTail(logPath: string, lines = 20): string {
  if (!existsSync(logPath)) return '(no dovecot log yet)';
  return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
