// Issue 9 item 15: NUL bytes and invalid UTF-16 in any text field are a 400 naming the field
// (PostgreSQL refused them with a 500), prototype names under /docs/assets are a 404 (they
// were a 500), and the SQLite files are private to the relay's user.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@agent-otp/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('input hygiene (issue 9 item 15)', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent());
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  const expectFieldRefused = (
    res: { status: number; body: { error: { code: string; message: string } } },
    field: string,
  ) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain(field);
  };

  it('refuses a NUL byte in an OTP reason, naming the field', async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sign up\u0000 at Acme', publicKey },
    });
    expectFieldRefused(res, 'body.reason');
    expect(res.body.error.message).toMatch(/NUL/);
  });

  it('refuses a NUL byte in a sender pattern nested in the filter', async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'r', publicKey, filter: { senderPattern: '*@acme.com\u0000' } },
    });
    expectFieldRefused(res, 'body.filter.senderPattern');
  });

  it('refuses a lone surrogate (text that is not valid Unicode)', async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      raw: `{"reason": "a\\ud800b", "publicKey": ${JSON.stringify(publicKey)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectFieldRefused(res, 'body.reason');
    expect(res.body.error.message).toMatch(/surrogate|Unicode/i);
  });

  it('refuses a NUL byte in an agent name', async () => {
    const res = await relay.ownerFetch('/api/v1/agents', {
      method: 'POST',
      body: JSON.stringify({ name: 'bot\u0000' }),
    });
    expectFieldRefused({ status: res.status, body: await res.json() }, 'body.name');
  });

  it('refuses a NUL byte in a policy name and in a condition value', async () => {
    const policy = { name: 'p', action: 'deny', conditions: { action: { equals: 'x' } } };
    for (const [body, field] of [
      [{ ...policy, name: 'p\u0000' }, 'body.name'],
      [{ ...policy, conditions: { action: { equals: 'x\u0000' } } }, 'body.conditions.action.equals'],
    ] as const) {
      const res = await relay.ownerFetch('/api/v1/policies', { method: 'POST', body: JSON.stringify(body) });
      expectFieldRefused({ status: res.status, body: await res.json() }, field);
    }
  });

  it('refuses a NUL byte in a free-form permission context, key or value', async () => {
    for (const [context, field] of [
      [{ reason: 'pay\u0000' }, 'body.context.reason'],
      [{ 'a\u0000': 'x' }, 'body.context'],
    ] as const) {
      const res = await call(relay.url, '/api/v1/permissions/request', {
        token: apiKey,
        json: { action: 'gmail.send', resource: 'email:x@example.com', context },
      });
      expectFieldRefused(res, field);
    }
  });

  it('refuses a NUL byte in a query string and a path parameter', async () => {
    const query = await call(relay.url, '/api/v1/audit?q=ab%00', { token: relay.ownerToken });
    expectFieldRefused(query, 'query.q');
    const path = await call(relay.url, '/api/v1/otp/%00', { token: apiKey });
    expect(path.status).toBe(400);
    expect(path.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('answers an audit cursor beyond any integer column without a 500', async () => {
    for (const cursor of ['99999999999999999999', '-99999999999999999999', '2147483648', '1e30']) {
      const res = await call(relay.url, `/api/v1/audit?cursor=${cursor}`, { token: relay.ownerToken });
      expect(res.status, `cursor=${cursor}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.message).toContain('query.cursor');
    }
  });

  it('refuses numbers out of range in query parameters', async () => {
    for (const limit of ['1e30', '-1', 'NaN', '1e309']) {
      const res = await call(relay.url, `/api/v1/audit?limit=${limit}`, { token: relay.ownerToken });
      expectFieldRefused(res, 'query.limit');
    }
  });

  it('answers timestamps PostgreSQL cannot hold (year 0, beyond 9999) with a 4xx or an empty result', async () => {
    const { token } = await relay.createSource('sms');
    for (const at of ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z']) {
      const list = await call(relay.url, `/api/v1/requests?since=${at}`, { token: relay.ownerToken });
      expect(list.status, `since=${at}: ${JSON.stringify(list.body)}`).toBeLessThan(500);
      const capture = await call(relay.url, '/api/v1/capture/messages', {
        token,
        json: { from: 'Acme', text: 'Your code is 123456', receivedAt: at },
      });
      expect(capture.status, `receivedAt=${at}: ${JSON.stringify(capture.body)}`).toBeLessThan(500);
    }
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'answers /docs/assets/%s with a 404, not a 500',
    async (name) => {
      const res = await call(relay.url, `/docs/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    },
  );

  it('still serves the real swagger assets', async () => {
    expect((await fetch(`${relay.url}/docs/assets/swagger-ui.css`)).status).toBe(200);
  });
});

describe('SQLite file permissions (issue 9 item 15)', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'agent-otp-perm-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory 0700 and the database, -wal and -shm files 0600', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const previous = process.umask(0o022);
    try {
      const handle = await openDatabase({ dataDir });
      // A write makes sure the WAL and shared-memory files exist.
      await handle.db
        .insertInto('users')
        .values({
          id: 'usr_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
          email: 'perm@example.com',
          password_hash: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      expect(mode(dataDir).toString(8)).toBe('700');
      for (const suffix of ['', '-wal', '-shm'])
        expect(mode(join(dataDir, `agent-otp.sqlite${suffix}`)).toString(8), suffix || 'db').toBe('600');
      await handle.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens an existing install that was created world-readable', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await openDatabase({ dataDir });
    await first.close();
    chmodSync(join(dataDir, 'agent-otp.sqlite'), 0o644);
    writeFileSync(join(dataDir, 'agent-otp.sqlite-wal'), '', { mode: 0o644 });
    chmodSync(join(dataDir, 'agent-otp.sqlite-wal'), 0o644);
    const notices: string[] = [];
    const handle = await openDatabase({ dataDir, onNotice: (message) => notices.push(message) });
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(join(dataDir, 'agent-otp.sqlite')).toString(8)).toBe('600');
    expect(mode(join(dataDir, 'agent-otp.sqlite-wal')).toString(8)).toBe('600');
    // Said once, naming what was changed, so the operator knows the old modes were open.
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(join(dataDir, 'agent-otp.sqlite'));
    await handle.close();
    const again: string[] = [];
    await (await openDatabase({ dataDir, onNotice: (message) => again.push(message) })).close();
    expect(again).toEqual([]);
  });
});
