// Issue 9 item 14: scope rules applied only to fields the agent reported, so a use that sent
// `extension` passed a rule on `extensions`. A constraint whose field is absent from a report
// now fails closed. A use that reports nothing at all (the seed's bare `useToken(id, token)`)
// is a plain spend the audit log marks `scopeChecked: false`, unless the scope demands a
// report with `require_details`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('issue 9 item 14: a scope rule on an absent field fails closed', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'file-bot' }));
  });
  afterAll(() => relay.stop());

  /** A permission with this scope, approved by the owner, its token read by the agent. */
  async function approvedToken(scope: Record<string, unknown>) {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'file.read', resource: 'file:/notes', scope },
    });
    expect(created.status).toBe(201);
    await relay.ownerFetch(`/api/v1/approvals/${created.body.id}/approve`, { method: 'POST' });
    const read = await call(relay.url, `/api/v1/permissions/${created.body.id}`, { token: apiKey });
    expect(read.body.token).toMatch(/^otp_/);
    return { id: created.body.id as string, token: read.body.token as string };
  }
  const use = (id: string, token: string, actionDetails?: Record<string, unknown>) =>
    call(relay.url, `/api/v1/permissions/${id}/use`, {
      token: apiKey,
      json: actionDetails === undefined ? { token } : { token, actionDetails },
    });

  it('a rule on `extensions` refuses a use that reports `extension` (SCOPE_VIOLATION)', async () => {
    const { id, token } = await approvedToken({ allowed_extensions: ['.txt', '.md'] });
    const refused = await use(id, token, { extension: '.exe' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('SCOPE_VIOLATION');
    expect(refused.body.error.message).toContain('must report extensions');
    expect(refused.body.error.message).toContain('allowed_extensions');
    // Nothing was spent: the right report still works.
    const ok = await use(id, token, { extensions: ['.md'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, usesRemaining: 0 });
  });

  it('every kind of field rule fails closed when its field is absent from a report', async () => {
    const scope = { max_uses: 10, max_size: 1024, name_pattern: '^notes/', allowed_extensions: ['.md'] };
    const { id, token } = await approvedToken(scope);
    const complete = { size: 10, name: 'notes/a.md', extensions: ['.md'] };
    const cases: Array<[Record<string, unknown> | undefined, string]> = [
      [{}, 'must report size'],
      [{ ...complete, size: undefined }, 'must report size (scope max_size)'],
      [{ ...complete, name: undefined }, 'must report name (scope name_pattern)'],
      [{ ...complete, extensions: undefined }, 'must report extensions (scope allowed_extensions)'],
      [{ ...complete, sizes: 10, size: undefined }, 'must report size'],
      [{ ...complete, name: null }, 'must report name'],
    ];
    for (const [details, message] of cases) {
      const refused = await use(id, token, details && JSON.parse(JSON.stringify(details)));
      expect(refused.status, JSON.stringify(details)).toBe(403);
      expect(refused.body.error.code).toBe('SCOPE_VIOLATION');
      expect(refused.body.error.message).toContain(message);
    }
    const ok = await use(id, token, complete);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, usesRemaining: 9 });
  });

  it('a bare use (no report at all) spends the token and is audited as unchecked', async () => {
    const { id, token } = await approvedToken({ max_uses: 2, max_size: 1024, name_pattern: '^notes/' });
    expect((await use(id, token)).body).toMatchObject({ success: true, usesRemaining: 1 });
    const audit = await relay.ownerFetch(`/api/v1/audit?q=${id}`);
    const text = JSON.stringify(await audit.json());
    expect(text).toContain('"scopeChecked":false');
    // A report, once given, is checked in full.
    const refused = await use(id, token, { name: 'notes/a.md' });
    expect(refused.body.error.message).toContain('must report size (scope max_size)');
  });

  it('require_details refuses a bare use too', async () => {
    const { id, token } = await approvedToken({ require_details: ['recipient'], max_recipients: 1 });
    const bare = await use(id, token);
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('SCOPE_VIOLATION');
    expect(bare.body.error.message).toContain('must report recipient');
    expect((await use(id, token, { recipient: 'a@b.test', recipients: 1 })).status).toBe(200);
  });

  it('scope keys with no mechanical meaning and max_uses ask for nothing', async () => {
    const { id, token } = await approvedToken({
      max_uses: 2,
      purpose: 'weekly notes',
      owner_note: 'md only',
    });
    expect((await use(id, token)).body).toMatchObject({ success: true, usesRemaining: 1 });
  });
});
