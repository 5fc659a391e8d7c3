// Issue 17: the CLI reads `.env` from its working directory, so the test harness runs every
// command in the environment's own folder; a developer's `.env` at the repository root must
// not change what the tests see.
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';

describe('createCliEnvironment', () => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await createCliEnvironment('sqlite');
  });
  afterAll(() => cli?.cleanup());

  it('runs commands in its own folder, reading only the .env there', async () => {
    const folder = cli.env.DATA_DIR ?? '';
    const without = await cli.run(['config:check', '--json']);
    expect(without.code).toBe(0);
    expect(JSON.parse(without.stdout).dotenv).toBeNull();
    expect((await cli.run(['config:check'])).stdout).toContain(`No .env in ${realpathSync(folder)}`);

    writeFileSync(join(folder, '.env'), 'LOOKBACK_SECONDS=61\n');
    const report = JSON.parse((await cli.run(['config:check', '--json'])).stdout) as {
      dotenv: string;
      variables: { name: string; value: string | null; source: string }[];
    };
    expect(report.dotenv).toBe(join(realpathSync(folder), '.env'));
    expect(report.variables.find((entry) => entry.name === 'LOOKBACK_SECONDS')).toMatchObject({
      value: '61',
      source: '.env',
    });
  });
});
