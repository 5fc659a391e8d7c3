// Issue 15 "Audit page": the owner narrows the audit log by action, agent and dates and exports
// what they see as CSV or JSON, capped, escaped for spreadsheets, never another owner's events.
// Real relay over HTTP, on SQLite and PostgreSQL.
import { createAgent, createOwnerAccount, SYSTEM_ACTOR } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { growAuditChain } from '../../../test-support/grow-history.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  action: string;
  actorId: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}
interface AuditPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits RFC 4180 CSV text into rows of cells (quoted cells may hold commas, quotes, line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describeEachDialect('audit filters and export', (dialect) => {
  let relay: TestRelay;
  let alpha: { id: string; apiKey: string };
  let beta: { id: string; apiKey: string };
  let alphaRequest: string;
  let betaRequest: string;
  let otherOwnersAgent: string;
  let midpoint: string;

  /** Every event the filters match, following `nextCursor` through the bounded windows. */
  async function allEvents(query: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const res = await relay.ownerFetch(
        `/api/v1/audit?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as AuditPage;
      events.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  async function requestCode(apiKey: string): Promise<string> {
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sign in, "quickly"', publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    alpha = await relay.createAgent({ name: '-alpha' });
    alphaRequest = await requestCode(alpha.apiKey);
    const approved = await relay.ownerFetch(`/api/v1/requests/${alphaRequest}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    // Another owner's history, with an agent whose ID the test then asks for. The first
    // account claims the relay's passwordless default owner; the second is someone else.
    await createOwnerAccount(relay.ctx, {
      email: 'owner@example.com',
      password: 'the owner long passphrase',
      channel: 'cli',
    });
    const { owner: other } = await createOwnerAccount(relay.ctx, {
      email: 'mallory@example.com',
      password: 'a different long passphrase',
      channel: 'cli',
    });
    expect(other.id).not.toBe(relay.owner.id);
    otherOwnersAgent = (
      await createAgent(relay.ctx, {
        ownerId: other.id,
        name: 'mallory-agent',
        test: false,
        actor: SYSTEM_ACTOR,
      })
    ).agent.id;
    // Timestamps are milliseconds: leave a gap on either side of the midpoint.
    await sleep(30);
    midpoint = new Date().toISOString();
    await sleep(30);
    beta = await relay.createAgent({ name: 'beta' });
    betaRequest = await requestCode(beta.apiKey);
  }, 60_000);
  afterAll(() => relay.stop());

  it('filters by action, exactly or by family', async () => {
    const approved = await allEvents('action=otp.approved');
    expect(approved.map((e) => [e.action, e.targetId])).toEqual([['otp.approved', alphaRequest]]);
    const otp = await allEvents('action=otp');
    expect(new Set(otp.map((e) => e.action))).toEqual(new Set(['otp.requested', 'otp.approved']));
    expect(otp.map((e) => e.targetId).sort()).toEqual([alphaRequest, alphaRequest, betaRequest].sort());
    // `otp` is a family, not a prefix: `otp_x.y` or `otpx` would not match.
    expect(await allEvents('action=ot')).toEqual([]);
  });

  it('filters by agent: what it did, what names it, and what happened to its requests', async () => {
    const events = await allEvents(`agentId=${alpha.id}`);
    expect(events.map((e) => e.action).reverse()).toEqual(['agent.created', 'otp.requested', 'otp.approved']);
    // The approval was the owner's, but it is about alpha's request.
    expect(events.find((e) => e.action === 'otp.approved')?.actorId).not.toBe(alpha.id);
    const betaEvents = await allEvents(`agentId=${beta.id}`);
    expect(betaEvents.every((e) => e.targetId === beta.id || e.targetId === betaRequest)).toBe(true);
    expect(betaEvents).toHaveLength(2);
  });

  it('filters by dates, and combines filters', async () => {
    const before = await allEvents(`until=${midpoint}`);
    const after = await allEvents(`since=${midpoint}`);
    expect(before.every((e) => e.at < midpoint)).toBe(true);
    expect(after.every((e) => e.at >= midpoint)).toBe(true);
    expect(after.map((e) => e.action).reverse()).toEqual(['agent.created', 'otp.requested']);
    expect(before.length + after.length).toBe((await allEvents('')).length);
    const combined = await allEvents(`since=${midpoint}&action=otp&agentId=${beta.id}`);
    expect(combined.map((e) => [e.action, e.targetId])).toEqual([['otp.requested', betaRequest]]);
    expect(await allEvents(`since=${midpoint}&agentId=${alpha.id}`)).toEqual([]);
    expect(await allEvents('since=2999-01-01T00:00:00.000Z')).toEqual([]);
    expect(await allEvents('until=2000-01-01T00:00:00.000Z')).toEqual([]);
  });

  it("never shows another owner's events, even when asked for that owner's agent", async () => {
    expect(await allEvents(`agentId=${otherOwnersAgent}`)).toEqual([]);
    const mine = await allEvents('');
    expect(mine.some((e) => e.targetId === otherOwnersAgent || e.details.name === 'mallory-agent')).toBe(
      false,
    );
    const exported = await relay.ownerFetch(`/api/v1/audit/export?format=json&agentId=${otherOwnersAgent}`);
    expect((await exported.json()).events).toEqual([]);
    const csv = await (await relay.ownerFetch('/api/v1/audit/export?format=csv')).text();
    expect(csv).not.toContain('mallory');
  });

  it.each([
    ['action=OTP%20approved!', 'action must be an action such as otp.approved or a family such as otp'],
    ['agentId=not-an-agent', 'query.agentId'],
    ['since=yesterday', 'query.since'],
    [`since=${encodeURIComponent('2026-12-01T00:00:00+02:00')}`, 'query.since'],
    ['since=2026-12-02T00:00:00.000Z&until=2026-12-01T00:00:00.000Z', 'until must be after since'],
    ['cursor=-1', 'cursor must be the nextCursor of a previous page'],
  ])('refuses %s with a 400 that says why', async (query, message) => {
    for (const path of ['/api/v1/audit', '/api/v1/audit/export?format=json&']) {
      const res = await relay.ownerFetch(`${path}${path.endsWith('&') ? '' : '?'}${query}`);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('VALIDATION_ERROR');
      expect(body.error.message).toContain(message);
    }
  });

  it('refuses an export without a known format', async () => {
    for (const query of ['', 'format=xml']) {
      const res = await relay.ownerFetch(`/api/v1/audit/export?${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain('query.format');
    }
  });

  it('exports the filtered events as JSON, stating the cap', async () => {
    const res = await relay.ownerFetch(`/api/v1/audit/export?format=json&agentId=${alpha.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="agent-otp-audit-\d{8}T\d{6}Z\.json"$/,
    );
    expect(res.headers.get('x-export-row-cap')).toBe('10000');
    expect(res.headers.get('x-export-rows')).toBe('3');
    expect(res.headers.get('x-export-truncated')).toBe('false');
    const body = await res.json();
    expect(body).toMatchObject({ rowCap: 10000, truncated: false, nextCursor: null });
    expect(body.events).toEqual(await allEvents(`agentId=${alpha.id}`));
  });

  it('exports CSV with one row per event, escaped, and formula-like cells made text', async () => {
    const res = await relay.ownerFetch(`/api/v1/audit/export?format=csv&agentId=${alpha.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename="agent-otp-audit-\d{8}T\d{6}Z\.csv"$/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([
      'seq',
      'at',
      'action',
      'actor_type',
      'actor_id',
      'actor',
      'channel',
      'target_id',
      'details',
      'hash',
    ]);
    const requested = rows.find((row) => row[2] === 'otp.requested');
    expect(requested).toBeDefined();
    // The agent is named "-alpha": a spreadsheet would read "-alpha" as a formula.
    expect(requested?.[5]).toBe("'-alpha");
    expect(requested?.[7]).toBe(alphaRequest);
    // The reason holds a comma and quotes, and still parses back as the same JSON.
    expect(JSON.parse(requested?.[8] ?? '{}').reason).toBe('sign in, "quickly"');
    expect(rows.slice(1).map((row) => row[2])).toEqual(['otp.approved', 'otp.requested', 'agent.created']);
  });

  it('stops at 10,000 events, says so, and continues from its cursor', async () => {
    await growAuditChain({ ctx: relay.ctx, ownerId: relay.owner.id, agentId: beta.id }, 10_050);
    const total = (await allEvents('')).length;
    const first = await relay.ownerFetch('/api/v1/audit/export?format=json');
    expect(first.headers.get('x-export-truncated')).toBe('true');
    expect(first.headers.get('x-export-rows')).toBe('10000');
    const cursor = first.headers.get('x-export-next-cursor');
    const body = await first.json();
    expect(body).toMatchObject({ truncated: true, nextCursor: cursor });
    expect(body.events).toHaveLength(10_000);
    const rest = await relay.ownerFetch(`/api/v1/audit/export?format=csv&cursor=${cursor}`);
    expect(rest.headers.get('x-export-truncated')).toBe('false');
    expect(rest.headers.get('x-export-next-cursor')).toBeNull();
    const restRows = parseCsv(await rest.text()).slice(1);
    expect(restRows).toHaveLength(total - 10_000);
    expect(Number(restRows[0]?.[0])).toBe(body.events.at(-1).seq - 1);
    expect(restRows.at(-1)?.[0]).toBe('1');
  }, 60_000);
});
