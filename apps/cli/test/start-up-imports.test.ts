// Issue 17 / issue 18, a fast CLI start: which code each command loads, not how long it takes
// (timings are in `npm run bench cli-start`). `--help` loads none of the relay's packages;
// `pending` opens the database without the HTTP server, mail, Telegram or the rest of core;
// and the bundle (dist/bundle/) serves them, so Node reads a few chunks instead of ~750 files.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';

const run = promisify(execFile);
const RECORDER = fileURLToPath(new URL('./support/record-imports.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE_META = join(REPO, 'apps/cli/dist/bundle/meta.json');
const STALE_BUNDLE =
  'bin/agent-otp.js ran dist/main.js, not the bundle: rebuild it (`npm run bundle -w @agent-otp/cli`) after `tsc -b`';

/** Heavy parts a quick command must not load: the HTTP app, mail, Telegram, their libraries. */
const SERVER_ONLY = [
  /\/packages\/server\/dist\/(app|serve|services)\.js$/,
  /\/packages\/(email|telegram)\//,
  /\/node_modules\/(hono|@hono|grammy|imapflow|mailparser|pg|yaml)\//,
];

/** What `pending` has no use for: the rest of core, message capture and extraction, webhook delivery. */
const NOT_FOR_PENDING = [
  /\/packages\/core\/dist\/index\.js$/,
  /\/packages\/core\/dist\/(capture|policies|sms|mailboxes|held|network)\//,
  /\/packages\/core\/dist\/webhooks\/post-webhook\.js$/,
  /\/packages\/extract\//,
  /\/node_modules\/(htmlparser2|entities|email-addresses|pino|@simplewebauthn|@peculiar)\//,
  // The package roots of shared and the contract construct every schema and load the
  // safe-pattern engine (re2js) and JOSE: pending's path imports their stored-values entries.
  /\/packages\/(shared|contract)\/dist\/index\.js$/,
  /\/packages\/contract\/dist\/(safe-pattern|sender-glob|crypto\/|schemas\/(common|otp)\.js|webhooks\/webhook-event\.js)/,
  /\/packages\/shared\/dist\/schemas\//,
  /\/node_modules\/(re2js|jose)\//,
];

/**
 * zod from node_modules: classic zod costs ~100 ms to load (every locale). Pending's path parses
 * the configuration with zod/mini, which the bundle holds, and its stored JSON with the
 * contract's zod-free shapes.
 */
const ZOD_FILE = /\/node_modules\/zod\//;

/** Libraries the bundle holds; loaded as files of their own, they cost hundreds of reads. */
const BUNDLED = /\/node_modules\/(kysely|jose|ulidx|re2js)\/|\/packages\/[^/]+\/dist\//;

interface BundleMeta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

describe('what agent-otp loads to start', () => {
  let cli: CliEnvironment;
  let recordDir: string;
  let chunks: Map<string, string[]>;

  beforeAll(async () => {
    cli = await createCliEnvironment('sqlite');
    // The database `pending` reads; user:create may create it.
    const created = await cli.run([
      'user:create',
      '--email',
      'owner@example.com',
      '--password',
      'a long passphrase',
    ]);
    expect(created.code).toBe(0);
    recordDir = mkdtempSync(join(tmpdir(), 'agent-otp-imports-'));
    const meta = JSON.parse(readFileSync(BUNDLE_META, 'utf8')) as BundleMeta;
    chunks = new Map(
      Object.entries(meta.outputs).map(([output, { inputs }]) => [
        join(REPO, output),
        Object.keys(inputs).map((input) => join(REPO, input)),
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    rmSync(recordDir, { recursive: true, force: true });
    await cli?.cleanup();
  });

  /** The files Node loaded (bundle chunks as themselves) and node: built-ins. */
  async function filesLoadedBy(args: string[]): Promise<string[]> {
    const file = join(recordDir, `${args.join('_').replace(/\W/g, '')}.txt`);
    await run(process.execPath, ['--import', RECORDER, CLI, ...args], {
      env: { ...cli.env, RECORD_IMPORTS_FILE: file },
    });
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url));
  }

  /** The original modules behind those files: each chunk stands for the modules it holds. */
  function modulesIn(files: string[]): string[] {
    return files.flatMap((file) => chunks.get(file) ?? [file]);
  }

  it('runs the bundle, which loads only commander and the CLI itself for --help and --version', async () => {
    for (const args of [['--help'], ['--version'], ['completion', 'bash']]) {
      const files = await filesLoadedBy(args);
      expect(files, STALE_BUNDLE).toContain(join(REPO, 'apps/cli/dist/bundle/main.js'));
      const foreign = modulesIn(files)
        .map((path) => relative(REPO, path))
        .filter(
          (path) =>
            !path.startsWith('apps/cli/') &&
            !path.startsWith('node_modules/commander/') &&
            // The mcp command's option parser: one small module of plain functions.
            path !== 'packages/mcp/dist/options.js',
        );
      expect(foreign, args.join(' ')).toEqual([]);
    }
  }, 60_000);

  it('pending reads the database with the narrow core entry, without the server, mail, Telegram or capture code', async () => {
    const files = await filesLoadedBy(['pending']);
    expect(files, STALE_BUNDLE).toContain(join(REPO, 'apps/cli/dist/bundle/main.js'));
    const modules = modulesIn(files);
    expect(modules).toContain(join(REPO, 'packages/core/dist/pending-decisions.js'));
    expect(modules).toContain(join(REPO, 'packages/shared/dist/stored-values.js'));
    expect(modules).toContainEqual(expect.stringMatching(/\/node_modules\/better-sqlite3\//));
    const heavy = [...SERVER_ONLY, ...NOT_FOR_PENDING];
    expect(modules.filter((path) => heavy.some((pattern) => pattern.test(path)))).toEqual([]);
    // Everything the bundle holds comes from its chunks, not as hundreds of separate files.
    expect(files.filter((path) => BUNDLED.test(path))).toEqual([]);
    // No file of zod at all; in the chunks, only zod/mini's part of it and the English messages.
    expect(files.filter((path) => ZOD_FILE.test(path))).toEqual([]);
    expect(
      modules.filter((path) => ZOD_FILE.test(path) && !/\/zod\/v4\/(mini|core|locales\/en\.js$)/.test(path)),
    ).toEqual([]);
  }, 60_000);
});

describe('bin/agent-otp.js', () => {
  let dir: string;

  beforeAll(() => {
    // The launcher beside a stand-in program of each kind, which says which one ran.
    dir = mkdtempSync(join(tmpdir(), 'agent-otp-launcher-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'bin', 'agent-otp.js'), readFileSync(CLI));
    writeFileSync(join(dir, 'dist', 'main.js'), "console.log('dist');\n");
    writeFileSync(join(dir, 'dist', 'bundle', 'main.js'), "console.log('bundle');\n");
    writeFileSync(join(dir, 'src', 'input.js'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function programRun(): Promise<string> {
    const { stdout } = await run(process.execPath, [join(dir, 'bin', 'agent-otp.js')]);
    return stdout.trim();
  }

  function writeManifest(builtAtMs: number, inputs = ['../../src/input.js']): void {
    writeFileSync(join(dir, 'dist', 'bundle', 'inputs.json'), JSON.stringify({ builtAtMs, inputs }));
  }

  it('runs the bundle while every file it was built from is as old as the bundle', async () => {
    utimesSync(join(dir, 'src', 'input.js'), new Date(1_000_000), new Date(1_000_000));
    writeManifest(2_000_000);
    expect(await programRun()).toBe('bundle');
  });

  it('runs dist/main.js when a file the bundle was built from changed after it', async () => {
    utimesSync(join(dir, 'src', 'input.js'), new Date(3_000_000), new Date(3_000_000));
    writeManifest(2_000_000);
    expect(await programRun()).toBe('dist');
  });

  it('runs dist/main.js when a file the bundle was built from is gone, or there is no bundle', async () => {
    writeManifest(Date.now(), ['../../src/removed.js']);
    expect(await programRun()).toBe('dist');
    rmSync(join(dir, 'dist', 'bundle', 'inputs.json'));
    expect(await programRun()).toBe('dist');
  });
});
