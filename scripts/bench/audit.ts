/**
 * The keyed audit chain's cost (issue 9 item 13): audited appends per second on one chain
 * (each its own transaction: the HMAC row hash plus the re-signed checkpoint), and how long
 * `audit:verify` takes over the chain it built, on SQLite and PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAuditEvent,
  auditKeyFrom,
  type DatabaseHandle,
  openDatabase,
  sealAuditLog,
  verifyAuditChains,
  withTransaction,
} from '@agent-otp/db';
import pg from 'pg';
import { postgresAvailable, postgresUrl } from '../../test-support/postgres.js';

const EVENTS = 2000;

async function measure(handle: DatabaseHandle) {
  const key = auditKeyFrom(randomBytes(32).toString('hex'));
  await sealAuditLog(handle, key);
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++)
    await withTransaction(handle, (tx) =>
      appendAuditEvent(tx, handle.dialect, key, {
        id: `evt_bench_${i}`,
        chain: 'usr_bench',
        created_at: new Date().toISOString(),
        actor_type: 'agent',
        actor_id: 'agt_bench',
        channel: 'api',
        action: 'otp.requested',
        target_id: `otp_bench_${i}`,
        details: { actor: 'bench', reason: 'measure the audit chain' },
      }),
    );
  const appendSeconds = (performance.now() - started) / 1000;
  const verifyStarted = performance.now();
  const verified = await verifyAuditChains(handle, key);
  const verifyMs = performance.now() - verifyStarted;
  if (!verified.ok)
    throw new Error(`the chain the bench built does not verify: ${verified.brokenAt?.reason}`);
  return {
    events: EVENTS,
    appendsPerSecond: Math.round(EVENTS / appendSeconds),
    verifyMs: Math.round(verifyMs),
    verifyEventsPerSecond: Math.round(verified.checked / (verifyMs / 1000)),
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-bench-audit-'));
  try {
    const sqlite = await openDatabase({ dataDir });
    try {
      results.sqlite = await measure(sqlite);
    } finally {
      await sqlite.close();
    }
    if (postgresAvailable()) {
      const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
      const postgres = await openDatabase({ databaseUrl: postgresUrl, dataDir, postgresSchema: schema });
      try {
        results.postgres = await measure(postgres);
      } finally {
        await postgres.close();
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
