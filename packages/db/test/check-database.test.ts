// Issue 10 part 4: the health probe's query lives in the db layer, and an unusable database
// is an answer (`ok: false`), never an exception a route would turn into a 500.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDatabase, openDatabase } from '@agent-otp/db';
import { afterEach, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('checkDatabase', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-health-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;

  afterEach(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropPostgresSchema(schema);
  });

  it('answers ok with the dialect while the database works, and not ok once it is gone', async () => {
    const handle = await openDatabase({
      dataDir,
      migrate: false,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 2 } : {}),
    });
    expect(await checkDatabase(handle)).toEqual({ ok: true, dialect });
    await handle.close();
    const after = await checkDatabase(handle);
    expect(after.ok).toBe(false);
  });
});
