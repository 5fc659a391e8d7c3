// Issue 9 item 14: scope rules applied only to fields the agent reported, so a use that sent
// `extension` passed a rule on `extensions` (and a use that reported nothing passed every
// rule). A constraint whose field is absent from the use now fails closed.
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

  it('every kind of field rule fails closed when its field is absent, also with no details at all', async () => {
    const scope = { max_uses: 10, max_size: 1024, name_pattern: '^notes/', allowed_extensions: ['.md'] };
    const { id, token } = await approvedToken(scope);
    const complete = { size: 10, name: 'notes/a.md', extensions: ['.md'] };
    const cases: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'must report size'],
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

  it('scope keys with no mechanical meaning and max_uses ask for nothing', async () => {
    const { id, token } = await approvedToken({
      max_uses: 2,
      purpose: 'weekly notes',
      owner_note: 'md only',
    });
    expect((await use(id, token)).body).toMatchObject({ success: true, usesRemaining: 1 });
  });
});
