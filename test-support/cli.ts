import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresUrl } from './postgres.js';
import type { Dialect } from './services.js';

export const CLI = fileURLToPath(new URL('../apps/cli/bin/agent-otp.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * An isolated install: its own DATA_DIR (SQLite) or its own PostgreSQL database, and port.
 * Commands run with DATA_DIR as their working directory.
 */
export interface CliEnvironment {
  env: Record<string, string>;
  run(args: string[], input?: string): Promise<CliResult>;
  /** Starts `agent-otp serve` and resolves when /healthz answers. */
  serve(): Promise<{
    url: string;
    process: ChildProcess;
    output: () => string;
    stop(): Promise<number | null>;
  }>;
  cleanup(): Promise<void>;
}

export async function createCliEnvironment(
  dialect: Dialect,
  extraEnv: Record<string, string> = {},
): Promise<CliEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-cli-'));
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SWEEP_INTERVAL_MS: '200',
    ...extraEnv,
  };
  let dropDatabase: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const name = `agent_otp_cli_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  // Every command runs in the environment's own folder, never the repository root, so a
  // developer's `.env` there cannot leak into the tests (the CLI reads `.env` from its cwd).
  const run = (args: string[], input?: string) =>
    new Promise<CliResult>((resolve) => {
      const child = execFile(
        process.execPath,
        [CLI, ...args],
        { cwd: dataDir, env, timeout: 30_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  return {
    env,
    run,
    async serve() {
      const child = spawn(process.execPath, [CLI, 'serve'], {
        cwd: dataDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`serve exited early:\n${output}`);
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return {
        url,
        process: child,
        output: () => output,
        stop: () =>
          new Promise<number | null>((resolve) => {
            if (child.exitCode !== null) return resolve(child.exitCode);
            child.once('exit', (code) => resolve(code));
            child.kill('SIGTERM');
          }),
      };
    },
    async cleanup() {
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
