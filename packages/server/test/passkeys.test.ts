// Issue 15 "Step-up with a passkey" and "Account": owners register passkeys and sign in with
// them; approving a high-risk request needs a fresh passkey assertion bound to the session and
// the request; the Account routes change the password and end sessions. Real relay over HTTP,
// both dialects, with real WebAuthn structures from a software authenticator.
import { createAgent, createOwnerAccount, SYSTEM_ACTOR } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { asBrowser, type BrowserCookies, cookiesFrom, signIn } from '../../../test-support/session.js';
import {
  assertPasskey,
  createPasskey,
  type SoftwarePasskey,
} from '../../../test-support/software-authenticator.js';

const ALICE = { email: 'alice@example.com', password: 'correct horse battery staple' };
const BOB = { email: 'bob@example.com', password: 'another long passphrase' };

describeEachDialect('passkeys and step-up', (dialect) => {
  let relay: TestRelay;
  let origin: string;
  let alice: BrowserCookies;
  let bob: BrowserCookies;
  let alicePasskey: SoftwarePasskey;
  let aliceAgentKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { TRUST_PROXY: 'true' } });
    origin = new URL(relay.ctx.publicUrl).origin;
    const owners = [];
    for (const account of [ALICE, BOB])
      owners.push((await createOwnerAccount(relay.ctx, { ...account, channel: 'cli' })).owner);
    ({ apiKey: aliceAgentKey } = await createAgent(relay.ctx, {
      ownerId: owners[0]!.id,
      name: 'db-agent',
      test: false,
      actor: SYSTEM_ACTOR,
    }));
    alice = (await signIn(relay.url, ALICE.email, ALICE.password, { 'user-agent': 'AliceBrowser/1.0' }))
      .cookies;
    bob = (await signIn(relay.url, BOB.email, BOB.password)).cookies;
  });
  afterAll(() => relay.stop());

  const browser = (
    cookies: BrowserCookies,
    path: string,
    options: { method?: string; json?: unknown } = {},
  ) => asBrowser(relay.url, cookies, path, options);

  async function register(cookies: BrowserCookies, name: string) {
    const options = await browser(cookies, '/api/v1/account/passkeys/options', { method: 'POST' });
    expect(options.status).toBe(200);
    const made = createPasskey(options.body.options, origin);
    const added = await browser(cookies, '/api/v1/account/passkeys', {
      json: { name, response: made.response },
    });
    return { options: options.body.options, made, added };
  }

  async function requestPermission(action: string, resource: string): Promise<string> {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: aliceAgentKey,
      json: { action, resource, scope: {} },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function stepUp(cookies: BrowserCookies, passkey: SoftwarePasskey, requestId: string) {
    const options = await browser(cookies, `/api/v1/approvals/${requestId}/step-up`, { method: 'POST' });
    expect(options.status).toBe(200);
    return assertPasskey(passkey, options.body.options, origin);
  }

  describe('registration', () => {
    it('asks for a discoverable credential with user verification, scoped to PUBLIC_URL', async () => {
      const { options, made, added } = await register(alice, 'Work laptop');
      expect(options.rp.id).toBe('localhost');
      expect(options.authenticatorSelection).toMatchObject({
        residentKey: 'required',
        userVerification: 'required',
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: 'Work laptop', lastUsedAt: null, backedUp: false });
      alicePasskey = made.passkey;
      const listed = await browser(alice, '/api/v1/account/passkeys');
      expect(listed.body.passkeys.map((p: { name: string }) => p.name)).toEqual(['Work laptop']);
    });

    it('refuses a replayed registration answer: its challenge was used', async () => {
      const options = await browser(alice, '/api/v1/account/passkeys/options', { method: 'POST' });
      const made = createPasskey(options.body.options, origin);
      const first = await browser(alice, '/api/v1/account/passkeys', {
        json: { name: 'Phone', response: made.response },
      });
      expect(first.status).toBe(201);
      const replay = await browser(alice, '/api/v1/account/passkeys', {
        json: { name: 'Phone', response: made.response },
      });
      expect(replay.status).toBe(400);
      expect(replay.body.error.message).toContain('already used');
      await browser(alice, `/api/v1/account/passkeys/${first.body.id}`, { method: 'DELETE' });
    });

    it('refuses an authenticator that did not verify the user', async () => {
      const options = await browser(alice, '/api/v1/account/passkeys/options', { method: 'POST' });
      const made = createPasskey(options.body.options, origin, { userVerified: false });
      const added = await browser(alice, '/api/v1/account/passkeys', { json: { response: made.response } });
      expect(added.status).toBe(400);
      expect(added.body.error.message).toMatch(/user.*verif/i);
    });

    it("refuses another session's challenge and another origin", async () => {
      const options = await browser(alice, '/api/v1/account/passkeys/options', { method: 'POST' });
      const made = createPasskey(options.body.options, origin);
      const asBob = await browser(bob, '/api/v1/account/passkeys', { json: { response: made.response } });
      expect(asBob.status).toBe(400);
      expect(asBob.body.error.message).toContain('another session');
      const again = await browser(alice, '/api/v1/account/passkeys/options', { method: 'POST' });
      const phished = createPasskey(again.body.options, 'https://evil.example');
      const wrongOrigin = await browser(alice, '/api/v1/account/passkeys', {
        json: { response: phished.response },
      });
      expect(wrongOrigin.status).toBe(400);
    });

    it('validates input: a hostile body is a 400 naming the field', async () => {
      const res = await browser(alice, '/api/v1/account/passkeys', {
        json: { name: 'x'.repeat(65), response: { id: '!!', type: 'public-key' } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      const rename = await browser(alice, '/api/v1/account/passkeys/pky_01JD2W9X3YH4Q7M5RZ8T6KCB2N', {
        method: 'PATCH',
        json: { name: 'line\nbreak' },
      });
      expect(rename.status).toBe(400);
      const unauthenticated = await call(relay.url, '/api/v1/account/passkeys');
      expect(unauthenticated.status).toBe(401);
      // An owner token (the CLI) cannot manage passkeys: they belong to the browser.
      const withToken = await call(relay.url, '/api/v1/account/passkeys', { token: relay.ownerToken });
      expect(withToken.status).toBe(401);
    });
  });

  describe('sign-in with a passkey', () => {
    async function signInWithPasskey(passkey: SoftwarePasskey, settings: { counter?: number } = {}) {
      const options = await call(relay.url, '/api/v1/session/passkey/options', { method: 'POST' });
      expect(options.status).toBe(200);
      expect(options.body.options.allowCredentials ?? []).toEqual([]);
      const flow = options.headers.getSetCookie().find((line) => line.startsWith('agent_otp_passkey_flow='));
      expect(flow).toContain('HttpOnly');
      const cookie = flow?.split(';')[0] ?? '';
      const response = assertPasskey(passkey, options.body.options, origin, settings);
      const res = await call(relay.url, '/api/v1/session/passkey', {
        json: { response },
        headers: { cookie, 'user-agent': 'PasskeyBrowser/2.0' },
      });
      return { res, response, cookie };
    }

    it('signs alice in username-less, and the session works', async () => {
      const { res } = await signInWithPasskey(alicePasskey);
      expect(res.status).toBe(200);
      expect(res.body.owner.email).toBe(ALICE.email);
      const cookies = cookiesFrom(res.headers);
      const me = await asBrowser(relay.url, cookies, '/api/v1/session');
      expect(me.body.owner.email).toBe(ALICE.email);
      const listed = await browser(alice, '/api/v1/account/passkeys');
      expect(listed.body.passkeys[0].lastUsedAt).not.toBeNull();
    });

    it('refuses a replayed assertion and one whose counter did not move (a clone)', async () => {
      const { res, response, cookie } = await signInWithPasskey(alicePasskey);
      expect(res.status).toBe(200);
      const replay = await call(relay.url, '/api/v1/session/passkey', {
        json: { response },
        headers: { cookie },
      });
      expect(replay.status).toBe(401);
      const cloned = await signInWithPasskey(alicePasskey, { counter: alicePasskey.counter });
      expect(cloned.res.status).toBe(401);
      expect(cloned.res.body.error.message).toMatch(/counter/i);
    });

    it('refuses an answer without the cookie of the browser that asked', async () => {
      const options = await call(relay.url, '/api/v1/session/passkey/options', { method: 'POST' });
      const response = assertPasskey(alicePasskey, options.body.options, origin);
      const res = await call(relay.url, '/api/v1/session/passkey', { json: { response } });
      expect(res.status).toBe(401);
      const otherFlow = await call(relay.url, '/api/v1/session/passkey/options', { method: 'POST' });
      const cookie = otherFlow.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const mismatched = await call(relay.url, '/api/v1/session/passkey', {
        json: { response },
        headers: { cookie },
      });
      expect(mismatched.status).toBe(401);
    });

    it('records passkey sign-ins and registrations in the audit log', async () => {
      const audit = await browser(alice, '/api/v1/audit?limit=100');
      const actions = audit.body.events.map((e: { action: string }) => e.action);
      expect(actions).toContain('owner.passkey_added');
      expect(actions).toContain('owner.passkey_removed');
      const passkeySignIn = audit.body.events.find(
        (e: { action: string; details: { method?: string } }) =>
          e.action === 'owner.signed_in' && e.details.method === 'passkey',
      );
      expect(passkeySignIn).toBeDefined();
    });
  });

  describe('high-risk approval needs a passkey step-up', () => {
    it('refuses a high-risk approval without an assertion, on the dashboard and with the CLI token', async () => {
      const id = await requestPermission('db.drop_table', 'postgres://prod/users');
      const bare = await browser(alice, `/api/v1/approvals/${id}/approve`, { method: 'POST' });
      expect(bare.status).toBe(403);
      expect(bare.body.error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
      expect(bare.body.error.message).toContain('confirm the approval with your passkey');
      const cliOwner = await createOwnerTokenFor(ALICE.email);
      const viaCli = await call(relay.url, `/api/v1/approvals/${id}/approve`, {
        method: 'POST',
        token: cliOwner,
      });
      expect(viaCli.status).toBe(403);
      expect(viaCli.body.error.message).toContain(`/approvals/${id}`);
      const still = await browser(alice, `/api/v1/approvals/${id}`);
      expect(still.body.status).toBe('pending_approval');
      // Denying needs no step-up, on any channel.
      const denied = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
        method: 'POST',
        token: cliOwner,
      });
      expect(denied.status).toBe(200);
    });

    it('approves with a fresh assertion bound to the request, once', async () => {
      const id = await requestPermission('db.drop_table', 'postgres://prod/orders');
      const passkey = await stepUp(alice, alicePasskey, id);
      const approved = await browser(alice, `/api/v1/approvals/${id}/approve`, { json: { passkey } });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      const other = await requestPermission('db.drop_table', 'postgres://prod/invoices');
      const replay = await browser(alice, `/api/v1/approvals/${other}/approve`, { json: { passkey } });
      expect(replay.status).toBe(403);
      expect(replay.body.error.code).toBe('STEP_UP_REQUIRED');
      const audit = await browser(alice, '/api/v1/audit?limit=100');
      const stepUps = audit.body.events.filter((e: { action: string }) => e.action === 'owner.step_up');
      expect(stepUps.map((e: { targetId: string }) => e.targetId)).toContain(id);
    });

    it('refuses an assertion made for another request or in another session', async () => {
      const first = await requestPermission('db.drop_table', 'postgres://prod/a');
      const second = await requestPermission('db.drop_table', 'postgres://prod/b');
      const forFirst = await stepUp(alice, alicePasskey, first);
      const crossed = await browser(alice, `/api/v1/approvals/${second}/approve`, {
        json: { passkey: forFirst },
      });
      expect(crossed.status).toBe(403);
      const secondSession = (await signIn(relay.url, ALICE.email, ALICE.password)).cookies;
      const forSecond = await stepUp(alice, alicePasskey, second);
      const elsewhere = await browser(secondSession, `/api/v1/approvals/${second}/approve`, {
        json: { passkey: forSecond },
      });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.error.message).toContain('another session');
    });

    it('refuses an assertion without user verification', async () => {
      const id = await requestPermission('db.drop_table', 'postgres://prod/c');
      const options = await browser(alice, `/api/v1/approvals/${id}/step-up`, { method: 'POST' });
      const passkey = assertPasskey(alicePasskey, options.body.options, origin, { userVerified: false });
      const res = await browser(alice, `/api/v1/approvals/${id}/approve`, { json: { passkey } });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/verif/i);
    });

    it('approves low-risk requests without a step-up', async () => {
      const id = await requestPermission('calendar.create', 'calendar:primary');
      const res = await browser(alice, `/api/v1/approvals/${id}/approve`, { method: 'POST' });
      expect(res.status).toBe(200);
    });

    it("is cross-tenant safe: bob can neither see, rename, remove nor answer with alice's passkey", async () => {
      const alicesId = (await browser(alice, '/api/v1/account/passkeys')).body.passkeys[0].id;
      expect((await browser(bob, '/api/v1/account/passkeys')).body.passkeys).toEqual([]);
      const rename = await browser(bob, `/api/v1/account/passkeys/${alicesId}`, {
        method: 'PATCH',
        json: { name: 'mine' },
      });
      expect(rename.status).toBe(404);
      const remove = await browser(bob, `/api/v1/account/passkeys/${alicesId}`, { method: 'DELETE' });
      expect(remove.status).toBe(404);
      // Bob has no passkey: the step-up says where to add one.
      const id = await requestPermission('db.drop_table', 'postgres://prod/d');
      const bobs = await browser(bob, `/api/v1/approvals/${id}/step-up`, { method: 'POST' });
      expect(bobs.status).toBe(404);
      const noPasskey = await createBobsHighRiskRequest();
      const stepUpWithout = await browser(bob, `/api/v1/approvals/${noPasskey}/step-up`, { method: 'POST' });
      expect(stepUpWithout.status).toBe(403);
      expect(stepUpWithout.body.error.message).toContain('/account');
      // With a passkey of his own, bob still cannot answer his challenge with alice's.
      await register(bob, 'Bob key');
      const options = await browser(bob, `/api/v1/approvals/${noPasskey}/step-up`, { method: 'POST' });
      const withAlices = assertPasskey(alicePasskey, options.body.options, origin);
      const res = await browser(bob, `/api/v1/approvals/${noPasskey}/approve`, {
        json: { passkey: withAlices },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('not registered to your account');
      const renamed = await browser(alice, `/api/v1/account/passkeys/${alicesId}`, {
        method: 'PATCH',
        json: { name: 'Laptop' },
      });
      expect(renamed.body.name).toBe('Laptop');
    });
  });

  describe('account: sessions and password', () => {
    it('lists sessions with their browser, marks this one, and ends another', async () => {
      const other = (await signIn(relay.url, ALICE.email, ALICE.password, { 'user-agent': 'OtherBrowser/3' }))
        .cookies;
      const listed = await browser(alice, '/api/v1/account/sessions');
      expect(listed.status).toBe(200);
      const current = listed.body.sessions.filter((s: { current: boolean }) => s.current);
      expect(current).toHaveLength(1);
      expect(current[0].userAgent).toBe('AliceBrowser/1.0');
      const target = listed.body.sessions.find(
        (s: { userAgent: string }) => s.userAgent === 'OtherBrowser/3',
      );
      const ended = await browser(alice, `/api/v1/account/sessions/${target.id}`, { method: 'DELETE' });
      expect(ended.status).toBe(200);
      expect((await asBrowser(relay.url, other, '/api/v1/session')).status).toBe(401);
      // Bob's sessions are not alice's to end.
      const bobs = (await browser(bob, '/api/v1/account/sessions')).body.sessions[0].id;
      expect((await browser(alice, `/api/v1/account/sessions/${bobs}`, { method: 'DELETE' })).status).toBe(
        404,
      );
    }, 60_000);

    it('changes the password only with the current one, and ends the other sessions', async () => {
      const other = (await signIn(relay.url, ALICE.email, ALICE.password)).cookies;
      const wrong = await browser(alice, '/api/v1/account/password', {
        json: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
      });
      // 403, not 401: the session is fine, and the dashboard signs out on a 401.
      expect(wrong.status).toBe(403);
      const short = await browser(alice, '/api/v1/account/password', {
        json: { currentPassword: ALICE.password, newPassword: 'short' },
      });
      expect(short.status).toBe(400);
      const changed = await browser(alice, '/api/v1/account/password', {
        json: { currentPassword: ALICE.password, newPassword: 'a brand new passphrase' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.endedSessions).toBeGreaterThanOrEqual(1);
      expect((await asBrowser(relay.url, other, '/api/v1/session')).status).toBe(401);
      expect((await browser(alice, '/api/v1/session')).status).toBe(200);
      expect((await signIn(relay.url, ALICE.email, ALICE.password)).res.status).toBe(401);
      expect((await signIn(relay.url, ALICE.email, 'a brand new passphrase')).res.status).toBe(200);
      const audit = await browser(alice, '/api/v1/audit?limit=200');
      const actions = audit.body.events.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['owner.password_changed', 'owner.session_ended']));
      // Six scrypt hashes: a generous budget on a loaded machine.
    }, 120_000);
  });

  async function createOwnerTokenFor(email: string): Promise<string> {
    const { createOwnerToken, findOwnerByEmail } = await import('@agent-otp/core');
    const owner = await findOwnerByEmail(relay.ctx, email);
    return createOwnerToken(relay.ctx, owner.id, 600);
  }

  async function createBobsHighRiskRequest(): Promise<string> {
    const { findOwnerByEmail } = await import('@agent-otp/core');
    const owner = await findOwnerByEmail(relay.ctx, BOB.email);
    const { apiKey } = await createAgent(relay.ctx, {
      ownerId: owner.id,
      name: 'bob-agent',
      test: false,
      actor: SYSTEM_ACTOR,
    });
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/bob', scope: {} },
    });
    return created.body.id;
  }
});

describe('passkeys need a secure PUBLIC_URL', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite', { env: { PUBLIC_URL: 'http://192.168.1.20:8080' } });
    await createOwnerAccount(relay.ctx, { ...ALICE, channel: 'cli' });
  });
  afterAll(() => relay.stop());

  it('refuses passkey options with a message saying what to set', async () => {
    const signInOptions = await call(relay.url, '/api/v1/session/passkey/options', { method: 'POST' });
    expect(signInOptions.status).toBe(403);
    expect(signInOptions.body.error.message).toContain('PUBLIC_URL');
    const { cookies } = await signIn(relay.url, ALICE.email, ALICE.password);
    const register = await asBrowser(relay.url, cookies, '/api/v1/account/passkeys/options', {
      method: 'POST',
    });
    expect(register.status).toBe(403);
    expect(register.body.error.message).toContain('not an IP address');
  });
});
