// Issue 16: each owner mailbox is run by exactly one relay instance, which holds a lease on
// its row. Taking, renewing and releasing are single conditional UPDATEs: racing instances
// get one winner, an unexpired lease is never taken, an expired one is, and an instance that
// lost its lease can neither renew it nor write the mailbox's health.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DatabaseHandle,
  insertMailbox,
  markMailboxRemoved,
  openDatabase,
  releaseMailboxLease,
  takeMailboxLease,
  writeMailboxHealth,
} from '@agent-otp/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const OWNER = 'usr_mailbox_leases';
const SOURCE = 'src_mailbox_leases';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const LEASE_MS = 15_000;

describeEachDialect('mailbox leases', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-mailbox-leases-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  let serial = 0;

  async function newMailbox(): Promise<string> {
    serial += 1;
    const id = `mbx_lease_${serial}`;
    await insertMailbox(handle.db, {
      id,
      owner_id: OWNER,
      kind: 'imap',
      name: `lease ${serial}`,
      settings: '{}',
      credential: 'v1.sealed',
      source_id: SOURCE,
      created_at: at(0),
      updated_at: at(0),
      removed_at: null,
      state: 'connecting',
      state_since: at(0),
      last_error: null,
      last_message_at: null,
      reconnect_attempts: 0,
      health_updated_at: null,
      lease_holder: null,
      lease_expires_at: null,
    });
    return id;
  }
  const take = (id: string, holder: string, nowMs: number) =>
    takeMailboxLease(handle.db, { id, holder, now: at(nowMs), expiresAt: at(nowMs + LEASE_MS) });
  const row = (id: string) =>
    handle.db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      migrate: true,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 10 } : {}),
    });
    await handle.db
      .insertInto('users')
      .values({ id: OWNER, email: 'leases@example.com', created_at: at(0) })
      .execute();
    await handle.db
      .insertInto('capture_sources')
      .values({
        id: SOURCE,
        owner_id: OWNER,
        kind: 'email',
        name: 'mailbox lease source',
        token_hash: 'unused',
        prefix: 'cs_unused',
        created_at: at(0),
        last_seen_at: null,
        revoked_at: null,
        provider: null,
        sealed_signing_secret: null,
        telnyx_public_key: null,
        messages_received: 0,
        last_message_at: null,
        last_error: null,
        last_error_at: null,
      })
      .execute();
  });
  afterAll(async () => {
    await handle.close();
    if (dialect === 'postgres') await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives a free mailbox to exactly one of many instances racing for it', async () => {
    const id = await newMailbox();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => take(id, `instance-${i}`, 1000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `instance-${results.indexOf(true)}`;
    expect((await row(id)).lease_holder).toBe(winner);
  });

  it('lets the holder renew, refuses others until the lease runs out, then hands it over', async () => {
    const id = await newMailbox();
    expect(await take(id, 'a', 0)).toBe(true);
    expect(await take(id, 'a', 5_000)).toBe(true);
    expect(await take(id, 'b', 19_999)).toBe(false);
    expect(await take(id, 'b', 20_001)).toBe(true);
    // The old holder, back from a stall, can neither renew nor write health.
    expect(await take(id, 'a', 21_000)).toBe(false);
    await writeMailboxHealth(handle.db, id, 'a', {
      state: 'failing',
      state_since: at(21_000),
      last_error: 'stale writer',
      last_message_at: null,
      reconnect_attempts: 9,
      health_updated_at: at(21_000),
    });
    expect((await row(id)).last_error).toBeNull();
    await writeMailboxHealth(handle.db, id, 'b', {
      state: 'idle',
      state_since: at(21_000),
      last_error: null,
      last_message_at: at(21_000),
      reconnect_attempts: 0,
      health_updated_at: at(21_000),
    });
    expect((await row(id)).state).toBe('idle');
  });

  it('frees a lease only for its holder, and never leases a removed mailbox', async () => {
    const id = await newMailbox();
    expect(await take(id, 'a', 0)).toBe(true);
    await releaseMailboxLease(handle.db, id, 'b');
    expect((await row(id)).lease_holder).toBe('a');
    await releaseMailboxLease(handle.db, id, 'a');
    expect((await row(id)).lease_holder).toBeNull();
    expect(await take(id, 'b', 1_000)).toBe(true);
    expect(await markMailboxRemoved(handle.db, OWNER, id, at(2_000))).toBe(true);
    const removed = await row(id);
    expect(removed.credential).toBeNull();
    await releaseMailboxLease(handle.db, id, 'b');
    expect(await take(id, 'c', 60_000)).toBe(false);
  });
});
