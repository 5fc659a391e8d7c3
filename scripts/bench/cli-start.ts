/**
 * The CLI's start-up time (issue 17, issue 18): wall time from spawning `agent-otp` to its
 * exit for `--help`, `--version` and `pending` (against a real SQLite data folder holding an
 * owner and an agent), beside `node -e 0` measured in the same run, the floor any Node
 * command pays. Each run is a fresh process, as when an operator types the command.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, createCliEnvironment } from '../../test-support/cli.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const RUNS = 30;
const WARM_UP = 3;
const run = promisify(execFile);

async function wallTimes(args: string[], env: Record<string, string>) {
  const timings: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const started = performance.now();
    await run(process.execPath, args, { env });
    if (i >= WARM_UP) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { runs: RUNS, medianMs: round(percentile(timings, 50)), p95Ms: round(percentile(timings, 95)) };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const cli = await createCliEnvironment('sqlite');
  try {
    // The commands that open the database refuse to create one; user:create may.
    for (const args of [
      ['user:create', '--email', 'bench@example.com', '--password', 'a bench passphrase'],
      ['agent:create', '--name', 'bench'],
    ]) {
      const result = await cli.run(args);
      if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
    }
    const env = cli.env;
    return {
      nodeNoop: await wallTimes(['-e', '0'], env),
      help: await wallTimes([CLI, '--help'], env),
      version: await wallTimes([CLI, '--version'], env),
      pending: await wallTimes([CLI, 'pending'], env),
    };
  } finally {
    await cli.cleanup();
  }
}
