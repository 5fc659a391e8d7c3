// Issue 9 item 13: `agent-otp audit:verify --json` prints each chain's signed head, so an
// operator can keep it outside the database; `--expect-head` checks a kept head is still
// there; deleting the last events is reported as a truncation.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@agent-otp/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('agent-otp audit:verify with the keyed chain', (dialect) => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    // Only `serve` creates the database.
    await (await cli.serve()).stop();
    for (const name of ['one', 'two', 'three'])
      expect((await cli.run(['agent:create', '--name', name, '--json'])).code).toBe(0);
  }, 60_000);
  afterAll(() => cli?.cleanup());

  it('prints the signed head, accepts it back, and reports deleted last events as a truncation', async () => {
    expect(statSync(join(cli.env.DATA_DIR!, 'audit.key')).mode & 0o777).toBe(0o600);
    const verified = await cli.run(['audit:verify', '--json']);
    expect(verified.code).toBe(0);
    const result = JSON.parse(verified.stdout);
    expect(result).toMatchObject({ ok: true, brokenAt: null });
    expect(result.heads).toHaveLength(1);
    const head = result.heads[0];
    expect(head).toMatchObject({
      chain: expect.stringMatching(/^usr_/),
      length: result.checked,
      legacyLength: 0,
    });
    expect(head.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect(head.signature).toMatch(/^[0-9a-f]{64}$/);

    const human = await cli.run(['audit:verify']);
    expect(human.stdout).toContain(`${head.chain}:${head.length}:${head.headHash}`);
    const kept = `${head.chain}:${head.length}:${head.headHash}`;
    expect((await cli.run(['audit:verify', '--expect-head', kept])).code).toBe(0);
    const wrong = await cli.run([
      'audit:verify',
      '--expect-head',
      `${head.chain}:${head.length}:${'0'.repeat(64)}`,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/expected head/);
    const malformed = await cli.run(['audit:verify', '--expect-head', 'nonsense']);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toMatch(/CHAIN:LENGTH:HASH/);

    const handle = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.env.DATA_DIR! });
    try {
      await handle.db.deleteFrom('audit_events').where('seq', '=', head.length).execute();
    } finally {
      await handle.close();
    }
    const truncated = await cli.run(['audit:verify']);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toMatch(/BROKEN.*truncated/);
    expect(JSON.parse((await cli.run(['audit:verify', '--json'])).stdout).brokenAt.reason).toMatch(
      new RegExp(`records ${head.length} events, ${head.length - 1} remain`),
    );
  }, 120_000); // nine process starts: slow on a loaded machine, not a measure of anything
});
