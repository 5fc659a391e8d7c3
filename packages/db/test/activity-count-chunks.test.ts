// Issue 18 "nothing blocks": on SQLite the activity count runs in stretches of index entries
// with a turn for other requests before each. The stretches must add up to exactly what one
// statement counts: every request once, however the stretches fall (here 3 entries each, over
// requests of two agents and three statuses on three days, and 7 created in one millisecond,
// more than a stretch holds).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActivityCountRow,
  countRequestActivity,
  type DatabaseHandle,
  insertRequestRecord,
  type OtpRequestRecord,
  openDatabase,
} from '@agent-otp/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const OWNER = 'usr_activity_chunks';
const AGENTS = ['agt_activity_a', 'agt_activity_b'] as const;
const STATUSES = ['consumed', 'denied', 'expired'] as const;
const RANGE = { ownerId: OWNER, from: '2026-03-01T00:00:00.000Z', until: '2026-03-04T00:00:00.000Z' };
const SAME_INSTANT = '2026-03-02T12:00:00.000Z';

function request(i: number, createdAt: string, ownerId = OWNER): OtpRequestRecord {
  return {
    id: `otp_${String(i).padStart(26, '0')}`,
    owner_id: ownerId,
    agent_id: AGENTS[i % 2]!,
    api_key_id: 'key_activity',
    status: STATUSES[i % 3]!,
    reason: 'count me',
    expected_sender: null,
    sources: ['email'],
    sender_pattern: null,
    content_pattern: null,
    public_key: 'spki',
    key_fingerprint: 'fingerprint',
    is_test: 0,
    encrypted_payload: null,
    created_at: createdAt,
    expires_at: createdAt,
    decision: null,
    decided_by: null,
    decision_channel: null,
    decided_at: null,
    denial_reason: null,
    otp_received_at: null,
    consumed_at: null,
    closed_at: createdAt,
    webhook_url: null,
    risk: null,
  };
}

/** 30 requests over three days (some sharing a millisecond), 7 in one instant, and some outside the range or the owner. */
function requests(): OtpRequestRecord[] {
  const rows: OtpRequestRecord[] = [];
  for (let i = 0; i < 30; i++)
    rows.push(request(i, new Date(Date.parse(RANGE.from) + Math.floor(i / 2) * 4 * 3_600_000).toISOString()));
  for (let i = 30; i < 37; i++) rows.push(request(i, SAME_INSTANT));
  rows.push(request(37, RANGE.until), request(38, '2026-02-28T23:59:59.999Z'));
  rows.push(request(39, SAME_INSTANT, 'usr_someone_else'));
  return rows;
}

/** The counts the range should give, by agent, status and day. */
function expected(rows: readonly OtpRequestRecord[], agentId?: string): ActivityCountRow[] {
  const counts = new Map<string, ActivityCountRow>();
  for (const row of rows) {
    if (row.owner_id !== OWNER || row.created_at < RANGE.from || row.created_at >= RANGE.until) continue;
    if (agentId !== undefined && row.agent_id !== agentId) continue;
    const key = `${row.agent_id} ${row.status} ${row.created_at.slice(0, 10)}`;
    const count = counts.get(key);
    if (count) count.count++;
    else
      counts.set(key, {
        agentId: row.agent_id,
        status: row.status,
        day: row.created_at.slice(0, 10),
        count: 1,
      });
  }
  return [...counts.values()];
}

const sorted = (rows: readonly ActivityCountRow[]) =>
  [...rows].sort((a, b) =>
    `${a.agentId} ${a.status} ${a.day}`.localeCompare(`${b.agentId} ${b.status} ${b.day}`),
  );

describeEachDialect('the activity count in stretches', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-activity-chunks-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  const rows = requests();

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema } : {}),
    });
    const { db } = handle;
    const at = RANGE.from;
    for (const owner of [OWNER, 'usr_someone_else'])
      await db
        .insertInto('users')
        .values({ id: owner, email: `${owner}@example.com`, created_at: at })
        .execute();
    for (const agent of AGENTS)
      await db
        .insertInto('agents')
        .values({ id: agent, owner_id: OWNER, name: agent, created_at: at })
        .execute();
    await db
      .insertInto('api_keys')
      .values({
        id: 'key_activity',
        agent_id: AGENTS[0],
        owner_id: OWNER,
        key_hash: 'key-hash',
        prefix: 'ak_live_acti',
        environment: 'live',
        created_at: at,
      })
      .execute();
    for (const row of rows) await insertRequestRecord(db, 'otp_requests', row);
  });
  afterAll(async () => {
    await handle?.close();
    if (dialect === 'postgres') await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds up to exactly one count per request, with stretches smaller than one millisecond holds', async () => {
    for (const chunkRows of [1, 3, 5_000]) {
      const counted = await countRequestActivity(handle.db, handle.dialect, 'otp_requests', RANGE, {
        chunkRows,
      });
      expect(sorted(counted), `stretches of ${chunkRows}`).toEqual(sorted(expected(rows)));
    }
    expect(expected(rows).reduce((sum, row) => sum + row.count, 0)).toBe(37);
  });

  it('counts one agent alone', async () => {
    const counted = await countRequestActivity(
      handle.db,
      handle.dialect,
      'otp_requests',
      { ...RANGE, agentId: AGENTS[1] },
      { chunkRows: 3 },
    );
    expect(sorted(counted)).toEqual(sorted(expected(rows, AGENTS[1])));
  });

  // PostgreSQL counts in one statement on its own server, so the relay's event loop is free while
  // it waits; whether a timer fires during that wait only depends on how fast the answer comes back.
  // The stretches, and so this check, are SQLite's, where the count runs on the event loop.
  if (dialect === 'sqlite')
    it('gives other work a turn while it counts', async () => {
      let turns = 0;
      const other = setInterval(() => turns++, 0);
      const turnsBefore = turns;
      try {
        await countRequestActivity(handle.db, handle.dialect, 'otp_requests', RANGE, { chunkRows: 3 });
      } finally {
        clearInterval(other);
      }
      expect(turns).toBeGreaterThan(turnsBefore);
    });
});
