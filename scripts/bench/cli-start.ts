/**
 * The CLI's start-up time (issue 17, issue 18): wall time from spawning `agent-otp` to its
 * exit for `--help`, `--version` and `pending` (against a real SQLite data folder holding an
 * owner and an agent), beside `node -e 0` measured in the same run, the floor any Node
 * command pays. Each run is a fresh process, as when an operator types the command.
 *
 * `agent-otp` runs the bundle (apps/cli/dist/bundle/) when it is current; `unbundled` runs
 * tsc's dist/main.js directly, the program before bundling, for comparison. The variants take
 * turns within each round, so a burst of load on a shared machine hits them all alike.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLI, createCliEnvironment } from '../../test-support/cli.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const RUNS = 30;
const WARM_UP = 3;
const run = promisify(execFile);
const UNBUNDLED = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));
const RECORDER = fileURLToPath(new URL('../../apps/cli/test/support/record-imports.mjs', import.meta.url));

function summary(timings: number[]) {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    medianMs: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
  };
}

/** Whether `agent-otp` ran the bundle, and how many files Node loaded for `pending`. */
async function whatPendingLoads(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-otp-bench-imports-'));
  try {
    const file = join(dir, 'imports.txt');
    await run(process.execPath, ['--import', RECORDER, CLI, 'pending'], {
      env: { ...env, RECORD_IMPORTS_FILE: file },
    });
    const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    return {
      bundled: urls.some((url) => url.endsWith('/apps/cli/dist/bundle/main.js')),
      modulesLoaded: urls.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    const variants: Record<string, string[]> = {
      nodeNoop: ['-e', '0'],
      help: [CLI, '--help'],
      version: [CLI, '--version'],
      pending: [CLI, 'pending'],
      unbundledHelp: [UNBUNDLED, '--help'],
      unbundledPending: [UNBUNDLED, 'pending'],
    };
    const timings: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const loadAverageAtStart = loadavg()[0];
    for (let pass = 0; pass < WARM_UP + RUNS; pass++) {
      for (const [name, args] of Object.entries(variants)) {
        const started = performance.now();
        await run(process.execPath, args, { env, cwd: env.DATA_DIR });
        if (pass >= WARM_UP) timings[name]?.push(performance.now() - started);
      }
    }
    return {
      loadAverage1m: { atStart: loadAverageAtStart, atEnd: loadavg()[0] },
      pendingLoads: await whatPendingLoads(env),
      ...Object.fromEntries(Object.entries(timings).map(([name, values]) => [name, summary(values)])),
    };
  } finally {
    await cli.cleanup();
  }
}
