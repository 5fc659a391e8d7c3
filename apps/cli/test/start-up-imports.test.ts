// Issue 17 / issue 18, a fast CLI start: which code each command loads, not how long it takes
// (timings are in `npm run bench`). `--help` loads none of the relay's packages; `pending`
// opens the database without the HTTP server, the mail or the Telegram packages.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';

const run = promisify(execFile);
const RECORDER = fileURLToPath(new URL('./support/record-imports.mjs', import.meta.url));

/** Heavy parts a quick command must not load: the HTTP app, mail, Telegram, their libraries. */
const SERVER_ONLY = [
  /\/packages\/server\/dist\/(app|serve|services)\.js$/,
  /\/packages\/(email|telegram)\//,
  /\/node_modules\/(hono|@hono|grammy|imapflow|mailparser|pg|yaml)\//,
];

describe('what agent-otp loads to start', () => {
  let cli: CliEnvironment;
  let recordDir: string;

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
  }, 60_000);
  afterAll(async () => {
    rmSync(recordDir, { recursive: true, force: true });
    await cli?.cleanup();
  });

  async function loadedBy(args: string[]): Promise<string[]> {
    const file = join(recordDir, `${args.join('_').replace(/\W/g, '')}.txt`);
    await run(process.execPath, ['--import', RECORDER, CLI, ...args], {
      env: { ...cli.env, RECORD_IMPORTS_FILE: file },
    });
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  }

  it('loads only commander and its own files for --help and --version', async () => {
    for (const args of [['--help'], ['--version'], ['completion', 'bash']]) {
      const loaded = await loadedBy(args);
      expect(loaded.some((url) => url.endsWith('/apps/cli/dist/main.js'))).toBe(true);
      const foreign = loaded.filter(
        (url) =>
          url.startsWith('file:') &&
          !url.includes('/apps/cli/') &&
          !url.includes('/node_modules/commander/') &&
          // The mcp command's option parser: one small module of plain functions.
          !url.includes('/packages/mcp/dist/options.js'),
      );
      expect(foreign, args.join(' ')).toEqual([]);
    }
  }, 60_000);

  it('pending reads the database without the HTTP server, mail or Telegram code', async () => {
    const loaded = await loadedBy(['pending']);
    expect(loaded).toContainEqual(expect.stringMatching(/\/packages\/core\/dist\/index\.js$/));
    expect(loaded).toContainEqual(expect.stringMatching(/\/node_modules\/better-sqlite3\//));
    expect(loaded.filter((url) => SERVER_ONLY.some((pattern) => pattern.test(url)))).toEqual([]);
  }, 60_000);
});
