// Issue 10 part 4: policies and the mail connector's cursors are persisted behind
// repositories whose JSON columns are parsed at that edge. A stored policy whose JSON does not
// parse is handed out with its CorruptRowError (the engine then counts it as failing); a
// cursor that does not parse is an error, never a silent restart from scratch.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CorruptRowError,
  type DatabaseHandle,
  deleteOwnerPolicy,
  insertPolicy,
  openDatabase,
  type PolicyRecord,
  selectConnectorCursor,
  selectOwnerPolicies,
  upsertConnectorCursor,
} from '@agent-otp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const T0 = '2026-01-01T00:00:00.000Z';
const OWNER = 'usr_policy_repositories';

function policy(id: string, createdAt: string): PolicyRecord {
  return {
    id,
    owner_id: OWNER,
    agent_id: null,
    name: `policy ${id}`,
    description: null,
    applies_to: 'permission',
    priority: 10,
    conditions: { action: { equals: 'files.read' }, 'scope.max_bytes': { lte: 1024 } },
    action: 'auto_approve',
    scope_template: { max_uses: 1 },
    risk: 'elevated',
    enabled: 1,
    created_at: createdAt,
  };
}

describeEachDialect('policy and cursor repositories', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-policy-repositories-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      migrate: true,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 2 } : {}),
    });
    await handle.db
      .insertInto('users')
      .values({ id: OWNER, email: 'owner@example.com', created_at: T0 })
      .execute();
  });

  afterAll(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropPostgresSchema(schema);
  });

  describe('policies', () => {
    it('stores conditions and scope template as JSON text and hands them back parsed, oldest first', async () => {
      const later = policy('pol_later', '2026-01-01T00:00:02.000Z');
      const earlier = { ...policy('pol_earlier', '2026-01-01T00:00:01.000Z'), scope_template: null };
      await insertPolicy(handle.db, later);
      await insertPolicy(handle.db, earlier);

      const stored = await handle.db
        .selectFrom('policies')
        .select(['conditions', 'scope_template'])
        .where('id', '=', later.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.conditions)).toEqual(later.conditions);
      expect(JSON.parse(stored.scope_template ?? 'null')).toEqual(later.scope_template);

      const loaded = await selectOwnerPolicies(handle.db, OWNER);
      expect(loaded.map((p) => p.record.id)).toEqual(['pol_earlier', 'pol_later']);
      expect(loaded[0]).toEqual({ record: earlier, corrupt: null });
      expect(loaded[1]).toEqual({ record: later, corrupt: null });
    });

    it('hands out a policy whose JSON does not parse with a CorruptRowError naming row and column', async () => {
      await insertPolicy(handle.db, policy('pol_corrupt', '2026-01-01T00:00:03.000Z'));
      await handle.db
        .updateTable('policies')
        .set({ scope_template: '{"max_uses": 1' })
        .where('id', '=', 'pol_corrupt')
        .execute();
      await handle.db
        .updateTable('policies')
        .set({ conditions: '["an array, not an object"]' })
        .where('id', '=', 'pol_later')
        .execute();

      const loaded = await selectOwnerPolicies(handle.db, OWNER);
      const corrupt = loaded.find((p) => p.record.id === 'pol_corrupt');
      expect(corrupt?.corrupt).toBeInstanceOf(CorruptRowError);
      expect(corrupt?.corrupt?.message).toBe(
        'policies pol_corrupt: column scope_template is corrupt (not JSON)',
      );
      expect(corrupt?.record).not.toHaveProperty('conditions');
      const notObject = loaded.find((p) => p.record.id === 'pol_later');
      expect(notObject?.corrupt?.message).toMatch(/^policies pol_later: column conditions is corrupt \(/);
      expect(notObject?.corrupt?.message).not.toContain('an array');
      expect(loaded.find((p) => p.record.id === 'pol_earlier')?.corrupt).toBeNull();
    });

    it('deletes only the owner’s policy, corrupt or not, and returns what it said', async () => {
      expect(await deleteOwnerPolicy(handle.db, 'usr_someone_else', 'pol_earlier')).toBeUndefined();
      const removed = await deleteOwnerPolicy(handle.db, OWNER, 'pol_earlier');
      expect(removed?.record).toMatchObject({
        id: 'pol_earlier',
        conditions: policy('x', T0).conditions,
        risk: 'elevated',
      });
      expect((await deleteOwnerPolicy(handle.db, OWNER, 'pol_corrupt'))?.corrupt).toBeInstanceOf(
        CorruptRowError,
      );
      expect((await selectOwnerPolicies(handle.db, OWNER)).map((p) => p.record.id)).toEqual(['pol_later']);
    });
  });

  describe('mail connector cursors', () => {
    it('upserts a cursor per account key and reads it back parsed', async () => {
      expect(await selectConnectorCursor(handle.db, 'account-a')).toBeUndefined();
      await upsertConnectorCursor(handle.db, {
        accountKey: 'account-a',
        kind: 'imap',
        cursor: { uidValidity: 7, lastUid: 42 },
        now: T0,
      });
      await upsertConnectorCursor(handle.db, {
        accountKey: 'account-a',
        kind: 'imap',
        cursor: { uidValidity: 7, lastUid: 43 },
        now: T0,
      });
      expect(await selectConnectorCursor(handle.db, 'account-a')).toEqual({ uidValidity: 7, lastUid: 43 });
    });

    it('refuses a cursor row that is not a JSON object of strings and numbers', async () => {
      for (const [key, text] of [
        ['account-torn', '{"historyId": "12'],
        ['account-array', '[1, 2]'],
        ['account-nested', '{"lastUid": {"n": 1}}'],
      ] as const) {
        await handle.db
          .insertInto('email_connector_state')
          .values({ account_key: key, kind: 'gmail', cursor: text, updated_at: T0 })
          .execute();
        await expect(selectConnectorCursor(handle.db, key)).rejects.toThrow(CorruptRowError);
      }
    });
  });
});
