// Issue 9 item 13: the audit chain only caught naive edits. Deleting the last rows,
// deleting an owner's whole chain, or editing a row and re-hashing every later row all
// passed verification. The chain is now keyed (HMAC with a key the database does not
// hold) and every chain carries a signed checkpoint (length + head), listed in a signed
// manifest, so each of these attacks by someone with database access is detected.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '@agent-otp/core';
import { type AuditEventRow, canonicalJson, sealAuditLog } from '@agent-otp/db';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** What the relay hashed before keying, and what an attacker with database access can compute. */
function contentOf(row: Omit<AuditEventRow, 'hash'>): string {
  return canonicalJson({
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
}
const plainSha256 = (row: Omit<AuditEventRow, 'hash'>) =>
  createHash('sha256').update(row.prev_hash).update('\n').update(contentOf(row)).digest('hex');
const hmacWith = (key: Buffer) => (row: Omit<AuditEventRow, 'hash'>) =>
  createHmac('sha256', key).update(row.prev_hash).update('\n').update(contentOf(row)).digest('hex');

describeEachDialect('security: the keyed audit chain (issue 9 item 13)', (dialect) => {
  let relay: TestRelay;

  async function activity(ownerId: string, count: number) {
    for (let i = 0; i < count; i++) await relay.createAgent({ name: `audited-${i}`, ownerId });
  }
  async function chainRows(chain: string) {
    return relay.ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', chain)
      .orderBy('seq')
      .execute();
  }
  /** Rewrites a chain from `fromSeq` on with `hash`, as an attacker who edited a row would. */
  async function rehashFrom(
    chain: string,
    fromSeq: number,
    hash: (row: Omit<AuditEventRow, 'hash'>) => string,
  ) {
    let prev = (await chainRows(chain)).find((r) => r.seq === fromSeq - 1)?.hash ?? '0'.repeat(64);
    for (const row of await chainRows(chain)) {
      if (row.seq < fromSeq) continue;
      const { hash: _old, ...rest } = { ...row, prev_hash: prev };
      const next = hash(rest);
      await relay.ctx.database.db
        .updateTable('audit_events')
        .set({ prev_hash: prev, hash: next })
        .where('id', '=', row.id)
        .execute();
      prev = next;
    }
  }
  async function addOwner(email: string) {
    const id = `usr_${randomBytes(8).toString('hex')}`;
    await relay.ctx.database.db
      .insertInto('users')
      .values({ id, email, password_hash: null, created_at: new Date().toISOString() })
      .execute();
    return id;
  }

  beforeEach(async () => {
    relay = await startTestRelay(dialect);
    await activity(relay.owner.id, 5);
  });
  afterEach(() => relay.stop());

  it('passes an intact chain and reports its head, signed', async () => {
    const rows = await chainRows(relay.owner.id);
    const result = await verifyAudit(relay.ctx);
    expect(result).toMatchObject({ ok: true, brokenAt: null, checked: rows.length });
    const viaApi = await (await relay.ownerFetch('/api/v1/audit/verify', { method: 'POST' })).json();
    expect(viaApi.ok).toBe(true);
    expect(viaApi.heads).toEqual([
      {
        chain: relay.owner.id,
        length: rows.length,
        headHash: rows.at(-1)?.hash,
        legacyLength: 0,
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('detects deleting the last rows of a chain', async () => {
    const rows = await chainRows(relay.owner.id);
    await relay.ctx.database.db
      .deleteFrom('audit_events')
      .where('chain', '=', relay.owner.id)
      .where('seq', '>', rows.length - 2)
      .execute();
    const result = await verifyAudit(relay.ctx);
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toMatchObject({ chain: relay.owner.id, seq: rows.length - 1 });
    expect(result.brokenAt?.reason).toMatch(/truncated.*records 5 events, 3 remain/);
    const viaApi = await (await relay.ownerFetch('/api/v1/audit/verify', { method: 'POST' })).json();
    expect(viaApi.ok).toBe(false);
  });

  it('detects deleting an owner’s whole chain, and its checkpoint with it', async () => {
    const other = await addOwner('other@example.com');
    await activity(other, 3);
    expect((await verifyAudit(relay.ctx)).ok).toBe(true);
    await relay.ctx.database.db.deleteFrom('audit_events').where('chain', '=', other).execute();
    const rowsGone = await verifyAudit(relay.ctx);
    expect(rowsGone.ok).toBe(false);
    expect(rowsGone.brokenAt?.chain).toBe(other);
    await sql`delete from audit_checkpoints where chain = ${other}`.execute(relay.ctx.database.db);
    const allGone = await verifyAudit(relay.ctx);
    expect(allGone.ok).toBe(false);
    expect(allGone.brokenAt).toMatchObject({ chain: other });
    expect(allGone.brokenAt?.reason).toMatch(/manifest lists it/);
    // Deleting the signed manifest as well leaves nothing signed: that fails too.
    await sql`delete from audit_manifest`.execute(relay.ctx.database.db);
    const manifestGone = await verifyAudit(relay.ctx);
    expect(manifestGone.ok).toBe(false);
    expect(manifestGone.brokenAt?.reason).toMatch(/manifest is missing/);
  });

  it('detects an edited row when every later row is re-hashed with plain SHA-256, or with a wrong key', async () => {
    const rows = await chainRows(relay.owner.id);
    const target = rows[2]!;
    await relay.ctx.database.db
      .updateTable('audit_events')
      .set({ details: target.details.replace('audited-', 'innocent-') })
      .where('id', '=', target.id)
      .execute();
    await rehashFrom(relay.owner.id, target.seq, plainSha256);
    const plain = await verifyAudit(relay.ctx);
    expect(plain.ok).toBe(false);
    expect(plain.brokenAt).toMatchObject({ id: target.id, seq: target.seq });
    expect(plain.brokenAt?.reason).toMatch(/altered/);

    await rehashFrom(relay.owner.id, target.seq, hmacWith(randomBytes(32)));
    const wrongKey = await verifyAudit(relay.ctx);
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.brokenAt).toMatchObject({ id: target.id, seq: target.seq });
  });

  it('detects a rollback to an older consistent state only against a head kept elsewhere', async () => {
    const before = await verifyAudit(relay.ctx);
    const savedCheckpoint = await sql<Record<string, unknown>>`select * from audit_checkpoints`.execute(
      relay.ctx.database.db,
    );
    await activity(relay.owner.id, 2);
    const later = await verifyAudit(relay.ctx);
    const head = later.heads[0]!;
    // Roll the chain back: drop the newer rows and restore the older, validly signed checkpoint.
    await relay.ctx.database.db
      .deleteFrom('audit_events')
      .where('chain', '=', relay.owner.id)
      .where('seq', '>', before.heads[0]!.length)
      .execute();
    await sql`delete from audit_checkpoints`.execute(relay.ctx.database.db);
    for (const row of savedCheckpoint.rows)
      await relay.ctx.database.db
        .insertInto('audit_checkpoints' as never)
        .values(row as never)
        .execute();
    // Inside the database the older state is consistent …
    expect((await verifyAudit(relay.ctx)).ok).toBe(true);
    // … but not against the head the operator printed and kept outside it.
    const expected = await verifyAudit(relay.ctx, undefined, {
      expectHeads: [{ chain: head.chain, length: head.length, headHash: head.headHash }],
    });
    expect(expected.ok).toBe(false);
    expect(expected.brokenAt?.reason).toMatch(/expected head/);
  });

  it('verifies rows written before keying with the old scheme, and seals them so they cannot be rewritten', async () => {
    // Turn this database back into one written by the previous version: plain SHA-256 rows,
    // no checkpoints, an unsealed manifest (what migration 0006 leaves on an upgrade).
    await rehashFrom(relay.owner.id, 1, plainSha256);
    await sql`delete from audit_checkpoints`.execute(relay.ctx.database.db);
    await sql`update audit_manifest set key_id = null, chains = null, signature = null`.execute(
      relay.ctx.database.db,
    );
    await sealAuditLog(relay.ctx.database, relay.ctx.auditKey);
    const legacy = await verifyAudit(relay.ctx);
    expect(legacy.ok).toBe(true);
    expect(legacy.heads[0]).toMatchObject({ legacyLength: 5, length: 5 });
    await activity(relay.owner.id, 1);
    expect(await verifyAudit(relay.ctx)).toMatchObject({ ok: true, checked: 6 });

    // Editing a sealed legacy row and re-hashing everything after it no longer passes.
    const rows = await chainRows(relay.owner.id);
    await relay.ctx.database.db
      .updateTable('audit_events')
      .set({ details: rows[1]!.details.replace('audited-', 'innocent-') })
      .where('id', '=', rows[1]!.id)
      .execute();
    await rehashFrom(relay.owner.id, 2, plainSha256);
    const rewritten = await verifyAudit(relay.ctx);
    expect(rewritten.ok).toBe(false);
  });

  it('keeps the key in a 0600 file outside the database, and refuses to start with another key', async () => {
    const keyFile = join(relay.dataDir, 'audit.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const dump = [
      await relay.dumpDatabase(),
      JSON.stringify((await sql`select * from audit_checkpoints`.execute(relay.ctx.database.db)).rows),
      JSON.stringify((await sql`select * from audit_manifest`.execute(relay.ctx.database.db)).rows),
    ].join('\n');
    expect(dump).toContain(relay.owner.id);
    expect(dump).not.toContain(key);
    await expect(
      startTestRelay(dialect, { shareWith: relay, env: { AUDIT_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toThrow(/AUDIT_KEY.*does not match/);
  });
});
