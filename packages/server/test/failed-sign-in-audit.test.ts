// Issue 15 "Audit page": failed sign-ins are recorded. A wrong password for an existing owner
// (and a refused answer from a registered passkey) is appended to that owner's audit log with
// the client address, never what was typed; an unknown email writes nothing anywhere and
// gets the same answer. Real relay over HTTP, on SQLite and PostgreSQL.
import { createOwnerAccount, LOGIN_LIMITS, listAuditEvents, recordLoginAttempt } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { asBrowser, type BrowserCookies, signIn } from '../../../test-support/session.js';
import {
  assertPasskey,
  createPasskey,
  type SoftwarePasskey,
} from '../../../test-support/software-authenticator.js';

const ALICE = { email: 'alice@example.com', password: 'correct horse battery staple' };
const BOB = { email: 'bob@example.com', password: 'another long passphrase' };

describeEachDialect('failed sign-ins in the audit log', (dialect) => {
  let relay: TestRelay;
  let origin: string;
  let aliceId: string;
  let bobId: string;
  let alicePasskey: SoftwarePasskey;
  let alicePasskeyId: string;
  let alice: BrowserCookies;

  const failures = async (ownerId: string) =>
    (await listAuditEvents(relay.ctx, { ownerId, limit: 200, action: 'owner.sign_in_failed' })).events;

  async function auditRowCount(): Promise<number> {
    const row = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** One passkey sign-in from `ip`, answered by `passkey` (with user verification unless told). */
  async function passkeySignIn(passkey: SoftwarePasskey, ip: string, userVerified = true) {
    const options = await call(relay.url, '/api/v1/session/passkey/options', { method: 'POST' });
    const cookie = options.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const response = assertPasskey(passkey, options.body.options, origin, { userVerified });
    return call(relay.url, '/api/v1/session/passkey', {
      json: { response },
      headers: { cookie, 'x-forwarded-for': ip, 'user-agent': 'PasskeyBrowser/2.0' },
    });
  }

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { TRUST_PROXY: 'true' } });
    origin = new URL(relay.ctx.publicUrl).origin;
    aliceId = (await createOwnerAccount(relay.ctx, { ...ALICE, channel: 'cli' })).owner.id;
    bobId = (await createOwnerAccount(relay.ctx, { ...BOB, channel: 'cli' })).owner.id;
    alice = (await signIn(relay.url, ALICE.email, ALICE.password, { 'x-forwarded-for': '192.0.2.1' }))
      .cookies;
    const options = await asBrowser(relay.url, alice, '/api/v1/account/passkeys/options', { method: 'POST' });
    const made = createPasskey(options.body.options, origin);
    const added = await asBrowser(relay.url, alice, '/api/v1/account/passkeys', {
      json: { name: 'Laptop', response: made.response },
    });
    expect(added.status).toBe(201);
    alicePasskey = made.passkey;
    alicePasskeyId = added.body.id;
  }, 60_000);
  afterAll(() => relay.stop());

  it("records a wrong password in that owner's log with the address, never the password", async () => {
    const typed = 'my-guessed-password-4821';
    const { res } = await signIn(relay.url, ALICE.email, typed, {
      'x-forwarded-for': '198.51.100.7',
      'user-agent': 'GuessingBrowser/1.0',
    });
    expect(res.status).toBe(401);
    const [failure, ...more] = await failures(aliceId);
    expect(more).toEqual([]);
    expect(failure).toMatchObject({
      action: 'owner.sign_in_failed',
      actorType: 'system',
      actorId: null,
      channel: 'dashboard',
      targetId: aliceId,
      details: {
        actor: 'someone at 198.51.100.7',
        method: 'password',
        ip: '198.51.100.7',
        userAgent: 'GuessingBrowser/1.0',
        reason: 'wrong password',
      },
    });
    expect(await failures(bobId)).toEqual([]);
    expect(await relay.dumpDatabase()).not.toContain(typed);
  });

  it('writes nothing for an unknown email, and answers exactly as for a wrong password', async () => {
    const before = await auditRowCount();
    const unknown = await signIn(relay.url, 'nobody@example.com', 'whatever password 1', {
      'x-forwarded-for': '198.51.100.8',
    });
    expect(await auditRowCount()).toBe(before);
    const wrong = await signIn(relay.url, BOB.email, 'whatever password 1', {
      'x-forwarded-for': '198.51.100.8',
    });
    expect(await auditRowCount()).toBe(before + 1);
    expect(unknown.res.status).toBe(wrong.res.status);
    // Each error names its own request ID; everything else is the same.
    const { requestId: _a, ...unknownError } = unknown.res.body.error;
    const { requestId: _b, ...wrongError } = wrong.res.body.error;
    expect(unknownError).toEqual(wrongError);
    expect([...unknown.res.headers.keys()].sort()).toEqual([...wrong.res.headers.keys()].sort());
    expect((await failures(bobId)).map((e) => e.details.ip)).toEqual(['198.51.100.8']);
  });

  it('records nothing once the address is over the sign-in limit (429, password never checked)', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < LOGIN_LIMITS.failuresPerEmailAndAddress; i++)
      await recordLoginAttempt(relay.ctx, { email: BOB.email, ip, succeeded: false });
    const before = await auditRowCount();
    const { res } = await signIn(relay.url, BOB.email, 'yet another guess', { 'x-forwarded-for': ip });
    expect(res.status).toBe(429);
    expect(await auditRowCount()).toBe(before);
  });

  it("records a refused answer from a registered passkey in its owner's log", async () => {
    const res = await passkeySignIn(alicePasskey, '203.0.113.5', false);
    expect(res.status).toBe(401);
    const [latest] = await failures(aliceId);
    expect(latest?.details).toMatchObject({
      method: 'passkey',
      passkeyId: alicePasskeyId,
      ip: '203.0.113.5',
      userAgent: 'PasskeyBrowser/2.0',
    });
    expect(String(latest?.details.reason)).toMatch(/could not be verified/);
    // The good answer still signs alice in.
    expect((await passkeySignIn(alicePasskey, '203.0.113.5')).status).toBe(200);
  });

  it('writes nothing for a passkey no owner registered', async () => {
    // Made for alice's account but never registered: the relay does not know it.
    const options = await asBrowser(relay.url, alice, '/api/v1/account/passkeys/options', { method: 'POST' });
    const stranger = createPasskey(options.body.options, origin).passkey;
    const before = await auditRowCount();
    const res = await passkeySignIn(stranger, '203.0.113.6');
    expect(res.status).toBe(401);
    expect(await auditRowCount()).toBe(before);
  });

  it('bounds passkey failures by the sign-in limits, answering the same', async () => {
    const ip = '203.0.113.7';
    const recorded = async () => (await failures(aliceId)).filter((e) => e.details.ip === ip).length;
    for (let i = 0; i < LOGIN_LIMITS.failuresPerEmailAndAddress + 2; i++) {
      const res = await passkeySignIn(alicePasskey, ip, false);
      expect(res.status).toBe(401);
    }
    expect(await recorded()).toBe(LOGIN_LIMITS.failuresPerEmailAndAddress);
  });
});
