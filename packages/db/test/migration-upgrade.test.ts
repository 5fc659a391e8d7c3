// Issue 10: self-hosters upgrade in place. A database created by the first migration and
// written by the first release (owners, agents, keys, OTP requests in every status, and an
// audit log hash-chained with plain SHA-256) must survive today's migrations and start-up
// sealing with every row intact, and its audit log must verify, legacy rows included.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, postgresUrl } from '../../../test-support/services.js';
import {
  type AuditEventRow,
  appendAuditEvent,
  auditKeyFrom,
  type DatabaseHandle,
  GENESIS_HASH,
  migrateToLatest,
  type OtpRequestsTable,
  openDatabase,
  readAuditManifest,
  sealAuditLog,
  verifyAuditChains,
  withTransaction,
} from '../src/index.js';

const KEY = auditKeyFrom('migration-upgrade-test-key-0123456789abcdef');
const T0 = '2026-01-05T10:00:00.000Z';
const LATER = '2027-01-05T10:00:00.000Z';

/** The first release's canonical JSON (keys sorted at every level, undefined dropped), copied so today's can't mask a change. */
function firstReleaseCanonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const entry = (v as Record<string, unknown>)[k];
        if (entry !== undefined) sorted[k] = sortKeys(entry);
      }
      return sorted;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** How the first release hashed an audit row (commit e8a179e): SHA-256 over the previous hash and the row's canonical JSON. */
function firstReleaseRowHash(row: Omit<AuditEventRow, 'hash'>): string {
  const content = firstReleaseCanonicalJson({
    action: row.action,
    actorId: row.actor_id,
    actorType: row.actor_type,
    chain: row.chain,
    channel: row.channel,
    createdAt: row.created_at,
    details: row.details,
    id: row.id,
    seq: row.seq,
    targetId: row.target_id,
  });
  return createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex');
}

/**
 * Applies migration 0001 alone, the way the first release created its database, through the
 * relay's own migration runner (it repeats Kysely's introspection when another test drops
 * its schema meanwhile: a bare Migrator here failed CI with `schema "t_…" does not exist`).
 */
async function migrateToFirstRelease(handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db, handle.dialect, handle.postgres?.schema, '0001-initial');
}

const OTP_STATUSES: OtpRequestsTable['status'][] = [
  'pending_approval',
  'approved',
  'otp_received',
  'consumed',
  'denied',
  'expired',
  'cancelled',
];

const OWNERS = ['usr_upgrade_a', 'usr_upgrade_b'];

/** Writes what the first release would have: owners, a session, agents, keys, sources, requests and audit rows. */
async function fillFirstReleaseDatabase(handle: DatabaseHandle): Promise<AuditEventRow[]> {
  const db = handle.db;
  const audit: AuditEventRow[] = [];
  for (const [n, owner] of OWNERS.entries()) {
    await db
      .insertInto('users')
      .values({ id: owner, email: `owner${n}@example.test`, password_hash: null, created_at: T0 })
      .execute();
    await db
      .insertInto('sessions')
      .values({
        id: `ses_${owner}`,
        token_hash: `session-hash-${owner}`,
        user_id: owner,
        kind: 'cli',
        csrf_token_hash: null,
        created_at: T0,
        expires_at: LATER,
        last_seen_at: null,
      })
      .execute();
    await db
      .insertInto('agents')
      .values({ id: `agt_${owner}`, owner_id: owner, name: `agent ${n}`, created_at: T0, revoked_at: null })
      .execute();
    await db
      .insertInto('api_keys')
      .values({
        id: `key_${owner}`,
        agent_id: `agt_${owner}`,
        owner_id: owner,
        key_hash: `key-hash-${owner}`,
        prefix: `ak_live_${n}`,
        environment: 'live',
        created_at: T0,
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await db
      .insertInto('capture_sources')
      .values({
        id: `src_${owner}`,
        owner_id: owner,
        kind: 'email',
        name: 'inbox',
        token_hash: `source-hash-${owner}`,
        prefix: `src_${n}`,
        created_at: T0,
        last_seen_at: null,
        revoked_at: null,
      })
      .execute();
    let prev = GENESIS_HASH;
    for (const [seq, status] of OTP_STATUSES.entries()) {
      const id = `otp_${owner}_${status}`;
      const decided = status === 'pending_approval' || status === 'expired' ? null : status;
      await db
        .insertInto('otp_requests')
        .values({
          id,
          owner_id: owner,
          agent_id: `agt_${owner}`,
          api_key_id: `key_${owner}`,
          status,
          reason: `sign in (${status})`,
          expected_sender: 'no-reply@example.test',
          sources: JSON.stringify(['email']),
          sender_pattern: null,
          content_pattern: null,
          public_key: 'public-key-jwk',
          key_fingerprint: 'fingerprint',
          is_test: 0,
          encrypted_payload: status === 'otp_received' ? 'compact.jwe.payload.of.code' : null,
          created_at: T0,
          expires_at: LATER,
          decision: decided === 'denied' ? 'denied' : decided ? 'approved' : null,
          decided_by: decided ? owner : null,
          decision_channel: decided ? 'cli' : null,
          decided_at: decided ? T0 : null,
          otp_received_at: status === 'otp_received' || status === 'consumed' ? T0 : null,
          consumed_at: status === 'consumed' ? T0 : null,
          closed_at: ['consumed', 'denied', 'expired', 'cancelled'].includes(status) ? T0 : null,
        })
        .execute();
      const withoutHash: Omit<AuditEventRow, 'hash'> = {
        id: `evt_${owner}_${seq + 1}`,
        chain: owner,
        seq: seq + 1,
        created_at: T0,
        actor_type: 'agent',
        actor_id: `agt_${owner}`,
        channel: 'api',
        action: 'otp.requested',
        target_id: id,
        details: firstReleaseCanonicalJson({ reason: `sign in (${status})`, sources: ['email'] }),
        prev_hash: prev,
      };
      const row = { ...withoutHash, hash: firstReleaseRowHash(withoutHash) };
      await db.insertInto('audit_events').values(row).execute();
      audit.push(row);
      prev = row.hash;
    }
  }
  return audit;
}

describeEachDialect('upgrading a first-release database to today', (dialect) => {
  let dataDir: string;
  let schema: string;
  let handle: DatabaseHandle;
  let written: AuditEventRow[];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-upgrade-'));
    schema = `t_${randomBytes(6).toString('hex')}`;
    handle = await openDatabase({
      dataDir,
      migrate: false,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 4 } : {}),
    });
    await migrateToFirstRelease(handle);
    written = await fillFirstReleaseDatabase(handle);
    // Today's start-up: every migration, then sealing the log with the audit key.
    await migrateToLatest(handle.db, handle.dialect, handle.postgres?.schema);
  });

  afterEach(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  it('keeps every row, with the tables later migrations added empty and the audit manifest unsealed', async () => {
    const count = async (
      table: 'users' | 'sessions' | 'agents' | 'api_keys' | 'capture_sources' | 'otp_requests',
    ) =>
      (
        await handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(Number(await count('users'))).toBe(2);
    expect(Number(await count('sessions'))).toBe(2);
    expect(Number(await count('agents'))).toBe(2);
    expect(Number(await count('api_keys'))).toBe(2);
    expect(Number(await count('capture_sources'))).toBe(2);
    expect(Number(await count('otp_requests'))).toBe(OTP_STATUSES.length * 2);

    const received = await handle.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', 'otp_usr_upgrade_a_otp_received')
      .executeTakeFirstOrThrow();
    expect(received).toMatchObject({
      status: 'otp_received',
      owner_id: 'usr_upgrade_a',
      encrypted_payload: 'compact.jwe.payload.of.code',
      sources: '["email"]',
      decision: 'approved',
      is_test: 0,
      created_at: T0,
      expires_at: LATER,
      // 0008: requests made before webhooks name none; agents get a signing secret when rotated.
      webhook_url: null,
    });
    // 0010: a request denied before reasons existed has none (the agent sees no denialReason).
    const denied = await handle.db
      .selectFrom('otp_requests')
      .select(['decision', 'denial_reason'])
      .where('id', '=', 'otp_usr_upgrade_a_denied')
      .executeTakeFirstOrThrow();
    expect(denied).toEqual({ decision: 'denied', denial_reason: null });
    const agentSecrets = await handle.db.selectFrom('agents').select('webhook_secret_sealed').execute();
    expect(agentSecrets.map((a) => a.webhook_secret_sealed)).toEqual([null, null]);
    const statuses = await handle.db
      .selectFrom('otp_requests')
      .select('status')
      .where('owner_id', '=', 'usr_upgrade_b')
      .orderBy('status')
      .execute();
    expect(statuses.map((r) => r.status)).toEqual([...OTP_STATUSES].sort());
    const owner = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', 'usr_upgrade_b')
      .executeTakeFirst();
    expect(owner).toEqual({
      id: 'usr_upgrade_b',
      email: 'owner1@example.test',
      password_hash: null,
      created_at: T0,
    });

    const stored = await handle.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('chain')
      .orderBy('seq')
      .execute();
    expect(stored).toEqual(written);

    for (const table of [
      'permission_requests',
      'policies',
      'telegram_links',
      'telegram_messages',
      'setup_tokens',
      'login_attempts',
      'email_connector_state',
      'audit_checkpoints',
      'held_messages',
      'webhook_outbox',
    ] as const) {
      const rows = await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      expect(Number(rows?.n), table).toBe(0);
    }
    expect(await readAuditManifest(handle.db)).toEqual({
      id: 1,
      key_id: null,
      chains: null,
      updated_at: null,
      signature: null,
    });
  });

  it('seals the first-release audit log as legacy at start-up, verifies it, and keys what comes after', async () => {
    expect(await sealAuditLog(handle, KEY)).toEqual({ status: 'adopted', chains: 2, events: written.length });
    const checkpoints = await handle.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('chain')
      .execute();
    expect(checkpoints.map((c) => [c.chain, c.legacy_length, c.length, c.head_hash])).toEqual(
      OWNERS.map((owner) => {
        const head = written.filter((r) => r.chain === owner).at(-1)!;
        return [owner, OTP_STATUSES.length, OTP_STATUSES.length, head.hash];
      }),
    );

    const verified = await verifyAuditChains(handle, KEY);
    expect(verified).toMatchObject({ ok: true, checked: written.length, brokenAt: null });
    expect(verified.heads.map((h) => h.legacyLength)).toEqual([OTP_STATUSES.length, OTP_STATUSES.length]);

    // A second start-up finds it sealed; today's writes continue the legacy chain with keyed rows.
    expect(await sealAuditLog(handle, KEY)).toEqual({ status: 'sealed' });
    const next = await withTransaction(handle, (tx) =>
      appendAuditEvent(tx, handle.dialect, KEY, {
        id: 'evt_after_upgrade',
        chain: 'usr_upgrade_a',
        created_at: LATER,
        actor_type: 'owner',
        actor_id: 'usr_upgrade_a',
        channel: 'cli',
        action: 'otp.approved',
        target_id: 'otp_usr_upgrade_a_pending_approval',
        details: {},
      }),
    );
    expect(next.seq).toBe(OTP_STATUSES.length + 1);
    expect(next.hash).not.toBe(firstReleaseRowHash(next));
    expect(await verifyAuditChains(handle, KEY)).toMatchObject({ ok: true, checked: written.length + 1 });
  });

  it('reports a tampered legacy row after the upgrade', async () => {
    await sealAuditLog(handle, KEY);
    const victim = written[3]!;
    await handle.db
      .updateTable('audit_events')
      .set({ details: firstReleaseCanonicalJson({ reason: 'rewritten', sources: ['email'] }) })
      .where('id', '=', victim.id)
      .execute();
    const result = await verifyAuditChains(handle, KEY);
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toEqual({
      chain: victim.chain,
      seq: victim.seq,
      id: victim.id,
      reason: 'row content does not match its hash (altered)',
    });
  });
});
