// Issue 17 (configuration): `agent-otp config:check` run the way an operator runs it, from a
// folder with a `.env` and a Docker-style secret file, with some real variables set.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, type CliResult } from '../../../test-support/cli.js';

const BOT_SECRET = 'abcdefghijklmnopqrstuvwxyz0123';
const DB_PASSWORD = 'hunter2-db-password';

const folder = mkdtempSync(join(tmpdir(), 'agent-otp-config-check-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const tokenFile = join(folder, 'telegram_bot_token');
writeFileSync(tokenFile, `123456:${BOT_SECRET}\n`, { mode: 0o600 });

function runIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: folder, ...env }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Entry {
  name: string;
  value: string | null;
  source: string;
  detail?: string;
}

describe('agent-otp config:check', () => {
  it('reads .env and _FILE secrets, lets real variables win, and masks every secret', async () => {
    const project = join(folder, 'valid');
    mkdirSync(project);
    writeFileSync(
      join(project, '.env'),
      [
        '# copied from .env.example, then edited',
        'PORT=9300',
        'LOOKBACK_SECONDS=60',
        `DATABASE_URL=postgres://relay:${DB_PASSWORD}@db.internal:5432/agent_otp`,
        `TELEGRAM_BOT_TOKEN_FILE=${tokenFile}`,
        '',
      ].join('\n'),
    );

    const json = await runIn(project, ['config:check', '--json'], { PORT: '9400' });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { valid: boolean; dotenv: string; variables: Entry[] };
    const entry = (name: string) => report.variables.find((e) => e.name === name);
    expect(report.valid).toBe(true);
    expect(report.dotenv).toBe(join(project, '.env'));
    expect(entry('PORT')).toMatchObject({ value: '9400', source: 'env' });
    expect(entry('LOOKBACK_SECONDS')).toMatchObject({ value: '60', source: '.env' });
    expect(entry('DATA_DIR')).toMatchObject({ value: './data', source: 'default' });
    expect(entry('DATABASE_URL')).toMatchObject({
      value: 'postgres://relay:****@db.internal:5432/agent_otp',
      source: '.env',
    });
    expect(entry('TELEGRAM_BOT_TOKEN')).toMatchObject({
      value: '****',
      source: 'file',
      detail: `TELEGRAM_BOT_TOKEN_FILE (.env): ${tokenFile}`,
    });

    const human = await runIn(project, ['config:check'], { PORT: '9400' });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Configuration is valid.');
    expect(human.stdout).toMatch(/PORT\s+9400\s+env/);
    expect(human.stdout).toMatch(/TELEGRAM_BOT_TOKEN\s+\*\*\*\*\s+file TELEGRAM_BOT_TOKEN_FILE/);
    for (const output of [json.stdout, human.stdout]) {
      expect(output).not.toContain(BOT_SECRET);
      expect(output).not.toContain(DB_PASSWORD);
    }
  });

  it('fails with the configuration error serve would stop with, as JSON under --json', async () => {
    const project = join(folder, 'invalid');
    mkdirSync(project);
    writeFileSync(join(project, '.env'), `TELEGRAM_BOT_TOKEN_FILE=${tokenFile}\nHEADERS_TIMEOUT_MS=eleven\n`);

    const result = await runIn(project, ['config:check', '--json'], {
      TELEGRAM_BOT_TOKEN: `123456:${BOT_SECRET}`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'TELEGRAM_BOT_TOKEN_FILE: set TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE, not both',
    );
    expect(result.stderr).toContain('HEADERS_TIMEOUT_MS:');
    // zod's own wording, in English, from the bundled zod/mini (issue 17).
    expect(result.stderr).toContain('HEADERS_TIMEOUT_MS: Invalid input: expected number, received NaN');
    expect(result.stderr).not.toContain(BOT_SECRET);
    const { error } = JSON.parse(result.stderr);
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain('invalid configuration');
  });
});
