/**
 * Grows a relay's database to a large history fast, for the growth benchmark and tests: completed
 * OTP and permission requests and audit events written with multi-row inserts, many rows
 * per transaction. The audit rows continue the owner's real chain (keyed hashes, the
 * signed checkpoint moved to each batch's head under the chain's lock), so the grown chain
 * still verifies and `POST /audit/verify` walks all of it.
 */

import type { CoreContext } from '@agent-otp/core';
import {
  canonicalJson,
  type DatabaseHandle,
  keyedAuditRowHash,
  signAuditCheckpoint,
  type Tx,
  withTransaction,
} from '@agent-otp/db';
import { sql } from 'kysely';
import { ulid } from 'ulidx';

const ROWS_PER_INSERT = 400;
const ROWS_PER_TRANSACTION = 20_000;

export interface GrowthTarget {
  ctx: Pick<CoreContext, 'database' | 'auditKey'>;
  ownerId: string;
  agentId: string;
  apiKeyId: string;
  publicKey: string;
  keyFingerprint: string;
}

async function inBatches(total: number, write: (from: number, to: number) => Promise<void>): Promise<void> {
  for (let from = 0; from < total; from += ROWS_PER_TRANSACTION)
    await write(from, Math.min(total, from + ROWS_PER_TRANSACTION));
}

/** A time `secondsAgo` before `now`, and a ULID of that time, so ID order is time order. */
function past(now: number, secondsAgo: number): { iso: string; ulid: string } {
  const at = now - secondsAgo * 1000;
  return { iso: new Date(at).toISOString(), ulid: ulid(at) };
}

/**
 * Adds `count` consumed OTP requests and `count / 10` denied permission requests, spread
 * over the past (one every few seconds), all older than anything the relay creates next.
 */
export async function growRequests(target: GrowthTarget, count: number): Promise<void> {
  const database = target.ctx.database;
  const now = Date.now();
  await inBatches(count, (from, to) =>
    withTransaction(database, async (tx) => {
      for (let start = from; start < to; start += ROWS_PER_INSERT) {
        const rows = [];
        for (let i = start; i < Math.min(to, start + ROWS_PER_INSERT); i++) {
          const created = past(now, 60 + (count - i) * 3);
          rows.push({
            id: `otp_${created.ulid}`,
            owner_id: target.ownerId,
            agent_id: target.agentId,
            api_key_id: target.apiKeyId,
            status: 'consumed' as const,
            reason: `sign in to service ${i % 97}`,
            expected_sender: null,
            sources: '["email"]',
            sender_pattern: `*@svc${i % 97}.example`,
            content_pattern: null,
            public_key: target.publicKey,
            key_fingerprint: target.keyFingerprint,
            is_test: 0,
            encrypted_payload: null,
            created_at: created.iso,
            expires_at: created.iso,
            decision: 'approved' as const,
            decided_by: target.ownerId,
            decision_channel: 'api',
            decided_at: created.iso,
            otp_received_at: created.iso,
            consumed_at: created.iso,
            closed_at: created.iso,
          });
        }
        await tx.insertInto('otp_requests').values(rows).execute();
      }
    }),
  );
  const permissions = Math.round(count / 10);
  await inBatches(permissions, (from, to) =>
    withTransaction(database, async (tx) => {
      for (let start = from; start < to; start += ROWS_PER_INSERT) {
        const rows = [];
        for (let i = start; i < Math.min(to, start + ROWS_PER_INSERT); i++) {
          const created = past(now, 61 + (permissions - i) * 30);
          rows.push({
            id: `prm_${created.ulid}`,
            owner_id: target.ownerId,
            agent_id: target.agentId,
            api_key_id: target.apiKeyId,
            status: 'denied' as const,
            action: 'deploy',
            resource: `service-${i % 31}`,
            requested_scope: '{}',
            context: '{}',
            ttl_seconds: 300,
            decision: 'denied' as const,
            decided_by: target.ownerId,
            decision_channel: 'api',
            decided_at: created.iso,
            token_handed_out: 0,
            uses_granted: 1,
            uses_remaining: 0,
            created_at: created.iso,
            expires_at: created.iso,
            closed_at: created.iso,
          });
        }
        await tx.insertInto('permission_requests').values(rows).execute();
      }
    }),
  );
}

/**
 * Appends `count` events to the owner's audit chain, each batch in one transaction that
 * holds the chain's lock (as a real append does), reads the head its checkpoint vouches
 * for, and signs the checkpoint at the batch's new head.
 */
export async function growAuditChain(
  target: Pick<GrowthTarget, 'ctx' | 'ownerId' | 'agentId'>,
  count: number,
): Promise<void> {
  const { database, auditKey: key } = target.ctx;
  const chain = target.ownerId;
  await inBatches(count, (from, to) =>
    withTransaction(database, async (tx) => {
      await lockChain(database, tx, chain);
      const checkpoint = await tx
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('chain', '=', chain)
        .executeTakeFirstOrThrow();
      const head = await tx
        .selectFrom('audit_events')
        .select(['seq', 'hash'])
        .where('chain', '=', chain)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      if (checkpoint.length !== head.seq || checkpoint.head_hash !== head.hash)
        throw new Error('the audit checkpoint does not vouch for the chain head; refusing to grow it');
      let prev = head.hash;
      let seq = head.seq;
      const createdAt = new Date().toISOString();
      for (let start = from; start < to; start += ROWS_PER_INSERT) {
        const rows = [];
        for (let i = start; i < Math.min(to, start + ROWS_PER_INSERT); i++) {
          seq++;
          const row = {
            id: `evt_${ulid()}`,
            chain,
            seq,
            created_at: createdAt,
            actor_type: 'agent' as const,
            actor_id: target.agentId,
            channel: 'api',
            action: i % 4 === 0 ? 'otp.requested' : i % 4 === 1 ? 'otp.approved' : 'otp.consumed',
            target_id: `otp_growth_${i}`,
            details: canonicalJson({ reason: `sign in to service ${i % 97}` }),
            prev_hash: prev,
          };
          const hash = keyedAuditRowHash(key, row);
          rows.push({ ...row, hash });
          prev = hash;
        }
        await tx.insertInto('audit_events').values(rows).execute();
      }
      const advanced = { ...checkpoint, length: seq, head_hash: prev };
      await tx
        .updateTable('audit_checkpoints')
        .set({
          length: seq,
          head_hash: prev,
          updated_at: createdAt,
          signature: signAuditCheckpoint(key, advanced),
        })
        .where('chain', '=', chain)
        .execute();
    }),
  );
}

async function lockChain(database: DatabaseHandle, tx: Tx, chain: string): Promise<void> {
  // The same lock appendAuditEvent takes; SQLite's write lock already serialises appends.
  if (database.dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext(${`audit:${chain}`}))`.execute(tx);
}
