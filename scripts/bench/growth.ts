/**
 * Growth (issue 18): whether anything gets slower or blocks as the history grows. Runs the
 * same figures on a fresh relay and again after growing its database to
 * GROWTH_REQUESTS completed requests (default 100,000) and GROWTH_AUDIT_EVENTS audit rows
 * (default 1,000,000): list page latency, an audit search that matches nothing, one full
 * lifecycle, capture cost per message with 100 and 500 open requests (and the same without
 * the SQL pre-filter by sender, as a baseline), and the longest
 * `/healthz` wait (from another process) while `POST /audit/verify` walks the whole chain.
 * SQLite by default; GROWTH_DIALECTS=sqlite,postgres adds PostgreSQL. GROWTH_SCALE=0.1
 * shrinks both sizes for a quick run.
 */
import { randomBytes } from 'node:crypto';
import { ensureDefaultOwner } from '@agent-otp/core';
import { senderSuffixOf } from '@agent-otp/db';
import { parseAgentPublicKey } from '@agent-otp/shared';
import { ulid } from 'ulidx';
import { type GrowthTarget, growAuditChain, growRequests } from '../../test-support/grow-history.js';
import { agentKeyPair, call, sealCodeFor } from '../../test-support/http.js';
import { postgresAvailable } from '../../test-support/postgres.js';
import { startTestRelay, type TestRelay } from '../../test-support/relay.js';
import { pollHealthz } from './growth/healthz-poller.js';
import { sqliteListPlans } from './growth/query-plans.js';

const SCALE = Number(process.env.GROWTH_SCALE ?? 1);
const REQUESTS = Number(process.env.GROWTH_REQUESTS ?? Math.round(100_000 * SCALE));
const AUDIT_EVENTS = Number(process.env.GROWTH_AUDIT_EVENTS ?? Math.round(1_000_000 * SCALE));
const DIALECTS = (process.env.GROWTH_DIALECTS ?? 'sqlite').split(',') as ('sqlite' | 'postgres')[];
const SAMPLES = 15;

const round = (ms: number) => Math.round(ms * 100) / 100;

async function medianMs(samples: number, once: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return round(times[Math.floor(times.length / 2)]!);
}

async function ownerGet(relay: TestRelay, path: string): Promise<Record<string, unknown>> {
  const res = await call(relay.url, path, { token: relay.ownerToken });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * After a long pause (growing the database) the client's idle keep-alive sockets may have
 * been closed by the server; the first fetch on one fails. One answered call settles it.
 */
async function reconnect(relay: TestRelay): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fetch(`${relay.url}/healthz`);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

interface Fixture {
  relay: TestRelay;
  target: GrowthTarget;
  agentKey: string;
  sourceToken: string;
  keys: Awaited<ReturnType<typeof agentKeyPair>>;
}

async function listFigures(fixture: Fixture) {
  const { relay } = fixture;
  const second = (await ownerGet(relay, '/api/v1/requests?limit=50')).nextCursor as string | null;
  const auditSecond = (await ownerGet(relay, '/api/v1/audit?limit=50')).nextCursor as string | null;
  const page = (path: string) => medianMs(SAMPLES, () => ownerGet(relay, path));
  return {
    requestsFirstPageMs: await page('/api/v1/requests?limit=50'),
    requestsNextPageMs: second ? await page(`/api/v1/requests?limit=50&cursor=${second}`) : null,
    requestsAllKindsMs: await page('/api/v1/requests?kind=all&limit=50'),
    requestsByStatusMs: await page('/api/v1/requests?status=consumed&limit=50'),
    requestsByAgentMs: await page(`/api/v1/requests?agentId=${fixture.target.agentId}&limit=50`),
    permissionsPageMs: await page('/api/v1/requests?kind=permission&limit=50'),
    approvalQueueMs: await page('/api/v1/requests?status=pending_approval&limit=50'),
    auditFirstPageMs: await page('/api/v1/audit?limit=50'),
    auditNextPageMs: auditSecond ? await page(`/api/v1/audit?limit=50&cursor=${auditSecond}`) : null,
    auditSearchNoMatchMs: await page(`/api/v1/audit?limit=50&q=${randomBytes(6).toString('hex')}`),
    // The audit page's filters (issue 15): a family no grown event has (a whole window read),
    // one agent (a request look-up per event of the window), and the last day (dates to seq).
    auditByActionNoMatchMs: await page('/api/v1/audit?limit=50&action=policy'),
    auditByAgentMs: await page(`/api/v1/audit?limit=50&agentId=${fixture.target.agentId}`),
    auditByDatesMs: await page(
      `/api/v1/audit?limit=50&since=${new Date(Date.now() - 86_400_000).toISOString()}&until=${new Date(Date.now() + 60_000).toISOString()}`,
    ),
    auditExportCappedMs: await medianMs(3, () =>
      call(relay.url, '/api/v1/audit/export?format=csv', { token: relay.ownerToken }),
    ),
    auditExportNoMatchMs: await medianMs(3, () =>
      call(relay.url, '/api/v1/audit/export?format=json&action=policy', { token: relay.ownerToken }),
    ),
    webhookDeliveriesMs: await page('/api/v1/webhooks/deliveries?limit=50'),
  };
}

/** Create → approve → deliver (sealed by the test source) → consume, over HTTP. */
async function lifecycleMs(fixture: Fixture): Promise<number> {
  const { relay, keys } = fixture;
  return medianMs(SAMPLES, async () => {
    const created = await call(relay.url, '/api/v1/otp', {
      token: fixture.agentKey,
      json: { reason: 'growth', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    const id = created.body.id as string;
    await call(relay.url, `/api/v1/requests/${id}/approve`, { method: 'POST', token: relay.ownerToken });
    const encryptedPayload = await sealCodeFor(keys, id, '123456');
    const delivered = await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: fixture.sourceToken,
      json: { encryptedPayload },
    });
    if (delivered.status !== 200)
      throw new Error(`deliver: ${delivered.status} ${JSON.stringify(delivered.body)}`);
    const consumed = await call(relay.url, `/api/v1/otp/${id}/consume`, {
      method: 'POST',
      token: fixture.agentKey,
    });
    if (consumed.status !== 200) throw new Error(`consume: ${consumed.status}`);
  });
}

/**
 * The cost of one plaintext message no open request wants, with `open` pending requests of
 * distinct senders: listing and matching them is the part that can grow. With
 * `senderSuffixes: false` the rows carry the column's default (`''`, a candidate for every
 * sender, as before the SQL pre-filter by sender), the baseline in the same run.
 */
async function captureMs(fixture: Fixture, open: number, senderSuffixes = true): Promise<number> {
  const { relay, target } = fixture;
  const db = relay.ctx.database.db;
  const now = Date.now();
  const ids: string[] = [];
  const rows = Array.from({ length: open }, (_, i) => {
    const id = `otp_${ulid()}`;
    ids.push(id);
    return {
      id,
      owner_id: target.ownerId,
      agent_id: target.agentId,
      api_key_id: target.apiKeyId,
      status: 'pending_approval' as const,
      reason: 'capture growth',
      expected_sender: null,
      sources: '["email"]',
      sender_pattern: `*@open${i}.example`,
      // As a request made through the API stores it: capture's SQL pre-filter reads it.
      sender_suffix: senderSuffixes ? senderSuffixOf(`*@open${i}.example`) : '',
      content_pattern: null,
      public_key: target.publicKey,
      key_fingerprint: target.keyFingerprint,
      is_test: 0,
      encrypted_payload: null,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + 3_600_000).toISOString(),
    };
  });
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('otp_requests')
      .values(rows.slice(i, i + 200))
      .execute();
  try {
    return await medianMs(SAMPLES, async () => {
      const res = await call(relay.url, '/api/v1/capture/messages', {
        token: fixture.sourceToken,
        json: { from: 'noreply@nobody-waits.example', subject: 'Your code', text: 'Your code is 482913' },
      });
      if (res.status !== 200 || res.body.matched)
        throw new Error(`capture: ${res.status} ${JSON.stringify(res.body)}`);
    });
  } finally {
    for (let i = 0; i < ids.length; i += 200)
      await db
        .updateTable('otp_requests')
        .set({ status: 'cancelled' })
        .where('id', 'in', ids.slice(i, i + 200))
        .execute();
  }
}

/** Verifies the owner's whole chain over HTTP while another process polls `/healthz`. */
async function verifyFigures(fixture: Fixture) {
  const poller = await pollHealthz(fixture.relay.url);
  const started = performance.now();
  const res = await call(fixture.relay.url, '/api/v1/audit/verify', {
    method: 'POST',
    token: fixture.relay.ownerToken,
  });
  const verifyMs = performance.now() - started;
  const healthz = await poller.stop();
  if (!res.body.ok) throw new Error(`the grown chain does not verify: ${JSON.stringify(res.body.brokenAt)}`);
  return {
    checked: res.body.checked as number,
    verifyMs: round(verifyMs),
    healthzMaxWaitMs: round(healthz.maxMs),
    healthzAnswersDuringVerify: healthz.count,
  };
}

async function figures(fixture: Fixture) {
  return {
    lists: await listFigures(fixture),
    lifecycleMs: await lifecycleMs(fixture),
    captureMsAt100Open: await captureMs(fixture, 100),
    captureMsAt500Open: await captureMs(fixture, 500),
    captureMsAt100OpenUnfiltered: await captureMs(fixture, 100, false),
    captureMsAt500OpenUnfiltered: await captureMs(fixture, 500, false),
    verify: await verifyFigures(fixture),
  };
}

async function fixtureFor(dialect: 'sqlite' | 'postgres'): Promise<Fixture> {
  const relay = await startTestRelay(dialect, {
    env: { OPEN_REQUESTS_PER_AGENT: '2000', SWEEP_INTERVAL_MS: '5000', LOG_LEVEL: 'warn' },
  });
  const owner = await ensureDefaultOwner(relay.ctx);
  const agent = await relay.createAgent({ name: 'growth' });
  const source = await relay.createSource('email');
  const keys = await agentKeyPair();
  const parsed = await parseAgentPublicKey(keys.publicKey);
  const apiKey = await relay.ctx.database.db
    .selectFrom('api_keys')
    .select('id')
    .where('agent_id', '=', agent.id)
    .executeTakeFirstOrThrow();
  return {
    relay,
    agentKey: agent.apiKey,
    sourceToken: source.token,
    keys,
    target: {
      ctx: relay.ctx,
      ownerId: owner.id,
      agentId: agent.id,
      apiKeyId: apiKey.id,
      publicKey: keys.publicKey,
      keyFingerprint: parsed.fingerprint,
    },
  };
}

async function run(dialect: 'sqlite' | 'postgres') {
  const fixture = await fixtureFor(dialect);
  try {
    const fresh = await figures(fixture);
    const growStarted = performance.now();
    await growRequests(fixture.target, REQUESTS);
    await growAuditChain(fixture.target, AUDIT_EVENTS);
    const growSeconds = Math.round((performance.now() - growStarted) / 100) / 10;
    await reconnect(fixture.relay);
    const grown = await figures(fixture);
    const plans = dialect === 'sqlite' ? await sqliteListPlans(fixture.relay, fixture.target) : undefined;
    return { requests: REQUESTS, auditEvents: AUDIT_EVENTS, growSeconds, fresh, grown, plans };
  } finally {
    await fixture.relay.stop();
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && !postgresAvailable()) continue;
    results[dialect] = await run(dialect);
  }
  return results;
}
