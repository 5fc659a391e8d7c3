// Issue 10 part 4: requests are persisted behind repositories; their JSON columns are parsed
// and validated at that edge, so core sees typed records and a corrupt row is a clear error.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CorruptRowError,
  type DatabaseHandle,
  findOwnerRequestRecord,
  findRequestRecord,
  insertRequestRecord,
  listCapturableOtpRequestRecords,
  type OtpRequestRecord,
  openDatabase,
  type PermissionRequestRecord,
  updateRequestRecord,
} from '@agent-otp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const T0 = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T01:00:00.000Z';
const NOW = '2026-01-01T00:30:00.000Z';
const OWNER = 'usr_repositories';
const AGENT = 'agt_repositories';

function otpRecord(id: string, sources: OtpRequestRecord['sources']): OtpRequestRecord {
  return {
    id,
    owner_id: OWNER,
    agent_id: AGENT,
    api_key_id: 'key_repositories',
    status: 'pending_approval',
    reason: 'sign in',
    expected_sender: null,
    sources,
    sender_pattern: null,
    content_pattern: null,
    public_key: 'spki',
    key_fingerprint: 'fingerprint',
    is_test: 0,
    encrypted_payload: null,
    created_at: T0,
    expires_at: LATER,
    decision: null,
    decided_by: null,
    decision_channel: null,
    decided_at: null,
    denial_reason: null,
    otp_received_at: null,
    consumed_at: null,
    closed_at: null,
    webhook_url: null,
    risk: null,
  };
}

function permissionRecord(id: string): PermissionRequestRecord {
  return {
    id,
    owner_id: OWNER,
    agent_id: AGENT,
    api_key_id: 'key_repositories',
    status: 'approved',
    action: 'gmail.send',
    resource: 'email:client@example.com',
    requested_scope: { max_uses: 2, recipient_pattern: '^client@' },
    granted_scope: null,
    context: { reason: 'send the invoice', nested: { list: [1, 'two', null] } },
    ttl_seconds: 300,
    policy_id: null,
    policy_name: null,
    decision: 'approved',
    decided_by: 'owner@example.com',
    decision_channel: 'cli',
    decided_at: T0,
    denial_reason: null,
    token_hash: `token-hash-${id}`,
    token_handed_out: 1,
    uses_granted: 2,
    uses_remaining: 2,
    created_at: T0,
    expires_at: LATER,
    last_used_at: null,
    closed_at: null,
    webhook_url: null,
    // Stored as JSON text and read back as the same object (issue 15).
    risk: {
      level: 'high',
      reasons: [
        { rule: 'destructive-verb', level: 'high', text: "deletes data: the action contains 'drop'" },
      ],
    },
  };
}

describeEachDialect('request repositories', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-request-repositories-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      migrate: true,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 2 } : {}),
    });
    const { db } = handle;
    await db.insertInto('users').values({ id: OWNER, email: 'owner@example.com', created_at: T0 }).execute();
    await db
      .insertInto('agents')
      .values({ id: AGENT, owner_id: OWNER, name: 'agent', created_at: T0 })
      .execute();
    await db
      .insertInto('api_keys')
      .values({
        id: 'key_repositories',
        agent_id: AGENT,
        owner_id: OWNER,
        key_hash: 'key-hash',
        prefix: 'ak_live_repo',
        environment: 'live',
        created_at: T0,
      })
      .execute();
  });

  afterAll(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropPostgresSchema(schema);
  });

  describe('records', () => {
    it('stores JSON columns as text and hands them back parsed', async () => {
      const otp = otpRecord('otp_roundtrip', ['sms']);
      const permission = permissionRecord('prm_roundtrip');
      await insertRequestRecord(handle.db, 'otp_requests', otp);
      await insertRequestRecord(handle.db, 'permission_requests', permission);

      const stored = await handle.db
        .selectFrom('permission_requests')
        .select(['requested_scope', 'context', 'granted_scope', 'risk'])
        .where('id', '=', permission.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.requested_scope)).toEqual(permission.requested_scope);
      expect(stored.granted_scope).toBeNull();
      expect(JSON.parse(stored.risk ?? 'null')).toEqual(permission.risk);

      expect(await findRequestRecord(handle.db, 'otp_requests', otp.id, { any: true })).toEqual(otp);
      expect(await findRequestRecord(handle.db, 'permission_requests', permission.id, { any: true })).toEqual(
        permission,
      );
    });

    it('finds a request only within its scope', async () => {
      const otp = otpRecord('otp_scoped', ['email']);
      await insertRequestRecord(handle.db, 'otp_requests', otp);
      expect(await findRequestRecord(handle.db, 'otp_requests', otp.id, { ownerId: OWNER })).toBeDefined();
      expect(
        await findRequestRecord(handle.db, 'otp_requests', otp.id, { ownerId: 'usr_other' }),
      ).toBeUndefined();
      expect(
        await findRequestRecord(handle.db, 'otp_requests', otp.id, { agentId: 'agt_other' }),
      ).toBeUndefined();
    });

    it("joins an owner's request to its agent's name, and finds nothing for another owner", async () => {
      const permission = permissionRecord('prm_owner_view');
      await insertRequestRecord(handle.db, 'permission_requests', permission);
      expect(await findOwnerRequestRecord(handle.db, 'permission_requests', OWNER, permission.id)).toEqual({
        ...permission,
        agent_name: 'agent',
      });
      expect(
        await findOwnerRequestRecord(handle.db, 'permission_requests', 'usr_other', permission.id),
      ).toBeUndefined();
    });

    it.each([
      ['otp_requests', 'otp_corrupt_text', 'sources', 'not json'],
      ['otp_requests', 'otp_corrupt_kind', 'sources', '["fax"]'],
      ['permission_requests', 'prm_corrupt_context', 'context', '[1,2]'],
      ['permission_requests', 'prm_corrupt_granted', 'granted_scope', '"all"'],
    ] as const)(
      'refuses a corrupt %s row (%s) with an error naming the row and column, not its content',
      async (table, id, column, text) => {
        if (table === 'otp_requests') await insertRequestRecord(handle.db, table, otpRecord(id, ['sms']));
        else await insertRequestRecord(handle.db, table, permissionRecord(id));
        await handle.db
          .updateTable(table)
          .set({ [column]: text })
          .where('id', '=', id)
          .execute();
        const read = findRequestRecord(handle.db, table, id, { any: true });
        await expect(read).rejects.toBeInstanceOf(CorruptRowError);
        await expect(read).rejects.toThrow(`${table} ${id}: column ${column} is corrupt`);
        await expect(read).rejects.not.toThrow(text);
      },
    );
  });

  describe('the conditional update', () => {
    it('moves a row only from the given statuses, within scope, before its deadline, and when its column tests hold', async () => {
      const id = 'prm_spend';
      await insertRequestRecord(handle.db, 'permission_requests', permissionRecord(id));
      const spend = (overrides: Partial<Parameters<typeof updateRequestRecord<'permission_requests'>>[1]>) =>
        updateRequestRecord(handle.db, {
          table: 'permission_requests',
          id,
          scope: { agentId: AGENT },
          from: ['approved'],
          changes: { uses_remaining: (eb) => eb('uses_remaining', '-', 1), last_used_at: NOW },
          where: { token_hash: `token-hash-${id}`, uses_remaining: { above: 0 } },
          now: NOW,
          ...overrides,
        });

      expect(await spend({ scope: { agentId: 'agt_other' } })).toBeUndefined();
      expect(await spend({ from: ['pending_approval'] })).toBeUndefined();
      expect(await spend({ now: LATER })).toBeUndefined();
      expect(await spend({ where: { token_hash: 'another-hash' } })).toBeUndefined();

      const spent = await spend({});
      expect(spent).toMatchObject({ uses_remaining: 1, last_used_at: NOW, requested_scope: { max_uses: 2 } });
      expect(await spend({})).toMatchObject({ uses_remaining: 0 });
      // `uses_remaining > 0` no longer holds.
      expect(await spend({})).toBeUndefined();
    });

    it('expires only an overdue row when asked for the overdue deadline', async () => {
      const id = 'otp_overdue';
      await insertRequestRecord(handle.db, 'otp_requests', otpRecord(id, ['sms']));
      const expire = (now: string) =>
        updateRequestRecord(handle.db, {
          table: 'otp_requests',
          id,
          scope: { any: true },
          from: ['pending_approval'],
          changes: { status: 'expired', closed_at: now },
          deadline: 'overdue',
          now,
        });
      expect(await expire(NOW)).toBeUndefined();
      expect(await expire(LATER)).toMatchObject({ status: 'expired', closed_at: LATER, sources: ['sms'] });
    });

    it("holds a delivery to the request's key and to the kinds of source it takes", async () => {
      await insertRequestRecord(handle.db, 'otp_requests', otpRecord('otp_bound', ['email']));
      const deliver = (keyFingerprint: string, acceptsSource: 'sms' | 'email') =>
        updateRequestRecord(handle.db, {
          table: 'otp_requests',
          id: 'otp_bound',
          scope: { ownerId: OWNER },
          from: ['pending_approval'],
          changes: { encrypted_payload: 'jwe.bound', otp_received_at: NOW },
          where: { encrypted_payload: null, key_fingerprint: keyFingerprint },
          acceptsSource,
          now: NOW,
        });
      expect(await deliver('another-key', 'email')).toBeUndefined();
      expect(await deliver('fingerprint', 'sms')).toBeUndefined();
      expect(await deliver('fingerprint', 'email')).toMatchObject({ encrypted_payload: 'jwe.bound' });
    });

    // Issue 18: each shape of update is compiled once and run with each call's values.
    it('runs one compiled update per shape with each call its own values, and each expression as its own shape', async () => {
      await insertRequestRecord(handle.db, 'otp_requests', otpRecord('otp_shape_a', ['sms']));
      await insertRequestRecord(handle.db, 'otp_requests', otpRecord('otp_shape_b', ['sms']));
      const deliver = (id: string, payload: string | null, at: string) =>
        updateRequestRecord(handle.db, {
          table: 'otp_requests',
          id,
          scope: { ownerId: OWNER },
          from: ['pending_approval'],
          changes: { encrypted_payload: payload, otp_received_at: at },
          where: { encrypted_payload: null },
          now: NOW,
        });
      expect(await deliver('otp_shape_a', 'jwe.a', NOW)).toMatchObject({
        encrypted_payload: 'jwe.a',
        otp_received_at: NOW,
      });
      expect(await deliver('otp_shape_b', null, T0)).toMatchObject({
        encrypted_payload: null,
        otp_received_at: T0,
      });
      // The same shape, refused by the first row's test now that it holds a code.
      expect(await deliver('otp_shape_a', 'jwe.again', NOW)).toBeUndefined();
      expect(await findRequestRecord(handle.db, 'otp_requests', 'otp_shape_a', { any: true })).toMatchObject({
        encrypted_payload: 'jwe.a',
      });
      // Two expressions over the same columns are two shapes: each row gets what its own call said.
      const setStatus = (id: string, status: 'approved' | 'denied') =>
        updateRequestRecord(handle.db, {
          table: 'otp_requests',
          id,
          scope: { any: true },
          from: ['pending_approval'],
          changes: {
            status: (eb) =>
              eb
                .case()
                .when('id', '=', id)
                .then(status)
                .else('expired' as const)
                .end(),
          },
          now: NOW,
        });
      expect(await setStatus('otp_shape_a', 'approved')).toMatchObject({ status: 'approved' });
      expect(await setStatus('otp_shape_b', 'denied')).toMatchObject({ status: 'denied' });
    });
  });

  it('lists the OTP requests a capture source may serve: its kind, no code yet, live, oldest first', async () => {
    const owner = { ownerId: OWNER, statuses: ['pending_approval', 'approved'] as const, now: NOW };
    await insertRequestRecord(handle.db, 'otp_requests', {
      ...otpRecord('otp_list_newer', ['sms']),
      created_at: '2026-01-01T00:00:01.000Z',
    });
    await insertRequestRecord(handle.db, 'otp_requests', otpRecord('otp_list_both', ['email', 'sms']));
    await insertRequestRecord(handle.db, 'otp_requests', otpRecord('otp_list_email', ['email']));
    await insertRequestRecord(handle.db, 'otp_requests', {
      ...otpRecord('otp_list_holding', ['sms']),
      encrypted_payload: 'compact.jwe',
    });
    const sms = await listCapturableOtpRequestRecords(handle.db, { ...owner, sourceKind: 'sms' });
    const listed = sms.filter((record) => record.id.startsWith('otp_list_'));
    expect(listed.map((record) => record.id)).toEqual(['otp_list_both', 'otp_list_newer']);
    expect(listed[0]?.sources).toEqual(['email', 'sms']);
    const later = await listCapturableOtpRequestRecords(handle.db, {
      ...owner,
      sourceKind: 'sms',
      now: LATER,
    });
    expect(later).toEqual([]);
  });
});
