// Issue 18 (growth): capture lists only the open requests whose sender glob can match the
// message's sender, in SQL (otp_requests.sender_suffix). The pre-filter must be a superset of
// the real matcher (compileSenderGlob, case-insensitive RE2): these tests hold it to that on
// tricky patterns and on generated ones, through real SQL on both dialects, and check that the
// migration fills the column for requests created before it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSenderGlob, OPEN_STATUSES } from '@agent-otp/shared';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';
import {
  type DatabaseHandle,
  insertRequestRecord,
  listCapturableOtpRequestRecords,
  migrateToLatest,
  type OpenDatabaseOptions,
  type OtpRequestRecord,
  openDatabase,
  SENDER_SUFFIX_MAX_LENGTH,
  senderSuffixCandidates,
  senderSuffixOf,
} from '../src/index.js';

/** The full matcher, as capture runs it (no pattern: any sender). */
const fullMatch = (pattern: string | null, identity: string) =>
  !pattern || compileSenderGlob(pattern).test(identity);
const prefilterKeeps = (pattern: string | null, identity: string) =>
  senderSuffixCandidates(identity).includes(senderSuffixOf(pattern));

const LONG_DOMAIN = `@${'sub.'.repeat(12)}example.com`;

/** Patterns an agent may send, with senders (as senderIdentity hands them over: lower-cased). */
const PATTERNS: (string | null)[] = [
  null,
  '',
  '*',
  '**',
  '?',
  '*@acme.com',
  '*@ACME.COM',
  'NoReply@Acme.com',
  'noreply@acme.com',
  '*@*.acme.com',
  '*@acme.*',
  '*@acme.co?',
  'no-reply*@acme.com',
  '*acme*',
  'acme',
  'ACME',
  'Acme*',
  '+1555*',
  '+15551234567',
  '*4567',
  '1234?',
  '*@bücher.de',
  '*@BÜCHER.DE',
  '*@acme.\u212a', // KELVIN SIGN: folds to k
  '*@acme.k',
  '*@acme.\u017f', // LONG S: folds to s
  '*@acme.us',
  '*@straße.de',
  '*σ',
  '*Σ',
  `*${LONG_DOMAIN}`,
  `*${LONG_DOMAIN.toUpperCase()}`,
];

const SENDERS = [
  'noreply@acme.com',
  'codes@mail.acme.com',
  'x@acme.co',
  'x@acme.coo',
  'x@acme.io',
  'no-reply+tag@acme.com',
  'acme',
  'acme-bank',
  '+15551234567',
  '+15559994567',
  '12345',
  'a@bücher.de',
  'a@acme.k',
  'a@acme.\u212a',
  'a@acme.s',
  'a@acme.us',
  'a@acme.\u017f',
  'a@acme.u\u017f',
  'a@straße.de',
  'aς',
  'aσ',
  `x${LONG_DOMAIN}`,
  'noreply@acme.com.evil.example',
  '',
];

describe('the sender pre-filter', () => {
  it('keeps every request the full matcher matches, on tricky patterns and senders', () => {
    let matches = 0;
    for (const pattern of PATTERNS)
      for (const identity of SENDERS)
        if (fullMatch(pattern, identity)) {
          matches++;
          expect(prefilterKeeps(pattern, identity), `${pattern} ~ ${identity}`).toBe(true);
        }
    // The table is not vacuous, and the filter does leave requests out.
    expect(matches).toBeGreaterThan(80);
    expect(prefilterKeeps('*@acme.com', 'x@acme.io')).toBe(false);
    expect(prefilterKeeps('+15551234567', '+15559994567')).toBe(false);
  });

  it('keeps every match of patterns made from the sender itself', () => {
    // Deterministic: each sender is cut into pieces that become wildcards, case-flipped or kept.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const variants = (ch: string) =>
      ch === 's' ? ['s', 'S', '\u017f'] : ch === 'k' ? ['k', 'K', '\u212a'] : [ch, ch.toUpperCase()];
    let checked = 0;
    for (const identity of SENDERS.filter(Boolean))
      for (let round = 0; round < 200; round++) {
        let pattern = '';
        for (const ch of identity) {
          const roll = random();
          if (roll < 0.15) pattern += pattern.endsWith('*') ? '' : '*';
          else if (roll < 0.25) pattern += '?';
          else {
            const options = variants(ch);
            pattern += options[Math.floor(random() * options.length)];
          }
        }
        if (!fullMatch(pattern, identity)) continue;
        checked++;
        expect(prefilterKeeps(pattern, identity), `${pattern} ~ ${identity}`).toBe(true);
      }
    expect(checked).toBeGreaterThan(2000);
  });

  it('bounds what a query sends by the longest end kept', () => {
    expect(senderSuffixCandidates(`x${LONG_DOMAIN}`)).toHaveLength(SENDER_SUFFIX_MAX_LENGTH + 1);
    expect(senderSuffixOf(`*${LONG_DOMAIN}`)).toHaveLength(SENDER_SUFFIX_MAX_LENGTH);
    expect(senderSuffixOf('*@Acme.com')).toBe('@acme.com');
    expect(senderSuffixOf('+1555*')).toBe('');
    expect(senderSuffixOf('*@bücher.de')).toBe('cher.de');
  });
});

const T0 = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T01:00:00.000Z';
const NOW = '2026-01-01T00:30:00.000Z';
const OWNER = 'usr_prefilter';
const AGENT = 'agt_prefilter';

function otpRecord(id: string, senderPattern: string | null): OtpRequestRecord {
  return {
    id,
    owner_id: OWNER,
    agent_id: AGENT,
    api_key_id: 'key_prefilter',
    status: 'pending_approval',
    reason: 'sign in',
    expected_sender: null,
    sources: ['email', 'sms'],
    sender_pattern: senderPattern,
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

async function seedOwner(handle: DatabaseHandle): Promise<void> {
  const { db } = handle;
  await db.insertInto('users').values({ id: OWNER, email: 'owner@example.com', created_at: T0 }).execute();
  await db
    .insertInto('agents')
    .values({ id: AGENT, owner_id: OWNER, name: 'agent', created_at: T0 })
    .execute();
  await db
    .insertInto('api_keys')
    .values({
      id: 'key_prefilter',
      agent_id: AGENT,
      owner_id: OWNER,
      key_hash: 'key-hash',
      prefix: 'ak_live_pref',
      environment: 'live',
      created_at: T0,
    })
    .execute();
}

/** For each sender: the requests listed with the pre-filter, and those the full matcher matches. */
async function listedAndMatched(handle: DatabaseHandle, patterns: Map<string, string | null>) {
  const results = [];
  for (const identity of SENDERS) {
    const listed = await listCapturableOtpRequestRecords(handle.db, {
      ownerId: OWNER,
      sourceKind: 'email',
      statuses: OPEN_STATUSES,
      now: NOW,
      senderIdentity: identity,
    });
    const matched = [...patterns].filter(([, pattern]) => fullMatch(pattern, identity)).map(([id]) => id);
    results.push({ identity, listed: listed.map((r) => r.id), matched });
  }
  return results;
}

describeEachDialect('the sender pre-filter in SQL', (dialect) => {
  let dataDir: string;
  let schema: string;
  let options: OpenDatabaseOptions;

  // A database per test: one is migrated to the end, the other stops before 0020.
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-prefilter-'));
    schema = `t_${randomBytes(6).toString('hex')}`;
    options =
      dialect === 'postgres'
        ? { dataDir, databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 2 }
        : { dataDir };
  });
  afterEach(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropPostgresSchema(schema);
  });

  it('lists every open request the full matcher matches, and leaves others out', async () => {
    const handle = await openDatabase(options);
    try {
      await seedOwner(handle);
      const patterns = new Map(
        PATTERNS.map((pattern, i) => [`otp_new${String(i).padStart(3, '0')}`, pattern]),
      );
      for (const [id, pattern] of patterns)
        await insertRequestRecord(handle.db, 'otp_requests', otpRecord(id, pattern));
      let leftOut = 0;
      for (const { identity, listed, matched } of await listedAndMatched(handle, patterns)) {
        expect(listed, identity).toEqual(expect.arrayContaining(matched));
        leftOut += patterns.size - listed.length;
      }
      expect(leftOut).toBeGreaterThan(SENDERS.length * 5);
    } finally {
      await handle.close();
    }
  });

  it('fills the column for requests made before the migration', async () => {
    const handle = await openDatabase({ ...options, migrate: false });
    try {
      await migrateToLatest(handle.db, handle.dialect, options.postgresSchema, '0019-activity-index');
      await seedOwner(handle);
      const patterns = new Map(
        PATTERNS.map((pattern, i) => [`otp_old${String(i).padStart(3, '0')}`, pattern]),
      );
      for (const [id, pattern] of patterns)
        await sql`insert into otp_requests (id, owner_id, agent_id, api_key_id, status, reason, sources, sender_pattern, public_key, key_fingerprint, is_test, created_at, expires_at)
          values (${id}, ${OWNER}, ${AGENT}, 'key_prefilter', 'pending_approval', 'sign in', '["email"]', ${pattern}, 'spki', 'fingerprint', 0, ${T0}, ${LATER})`.execute(
          handle.db,
        );
      await migrateToLatest(handle.db, handle.dialect, options.postgresSchema);
      const stored = await handle.db.selectFrom('otp_requests').select(['id', 'sender_suffix']).execute();
      expect(Object.fromEntries(stored.map((row) => [row.id, row.sender_suffix]))).toEqual(
        Object.fromEntries([...patterns].map(([id, pattern]) => [id, senderSuffixOf(pattern)])),
      );
      for (const { identity, listed, matched } of await listedAndMatched(handle, patterns))
        expect(listed, identity).toEqual(expect.arrayContaining(matched));
    } finally {
      await handle.close();
    }
  });
});
