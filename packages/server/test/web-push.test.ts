// Issue 15 "Notifications": Web Push. Owners subscribe a browser (strict validation, SSRF
// guard, per owner); each new pending request sends an encrypted message that a push service
// stand-in verifies (VAPID JWT) and decrypts (RFC 8291) with the browser's private key; a 410
// removes only that owner's subscription. Real relay over HTTP, both dialects.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createOwnerAccount, type Owner } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { type PushServiceStandIn, startPushServiceStandIn } from '../../../test-support/push-service.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { asBrowser, type BrowserCookies, signIn } from '../../../test-support/session.js';
import { assertPushEndpointAllowed, pushEndpointPolicy } from '../src/web-push/push-endpoint-policy.js';

const ALICE = { email: 'alice@example.com', password: 'correct horse battery staple' };
const BOB = { email: 'bob@example.com', password: 'another horse battery staple' };
const SUBSCRIPTIONS = '/api/v1/owner/push/subscriptions';

describeEachDialect('Web Push', (dialect) => {
  let push: PushServiceStandIn;
  let relay: TestRelay;
  let alice: BrowserCookies;
  let bob: BrowserCookies;
  let aliceOwner: Owner;
  let aliceAgentKey: string;
  let publicKey: string;

  beforeAll(async () => {
    push = await startPushServiceStandIn();
    relay = await startTestRelay(dialect, { env: { PUSH_ALLOW_PRIVATE: 'true' } });
    aliceOwner = (await createOwnerAccount(relay.ctx, { ...ALICE, channel: 'dashboard' })).owner;
    await createOwnerAccount(relay.ctx, { ...BOB, channel: 'dashboard' });
    aliceAgentKey = (await relay.createAgent({ name: 'alice-agent', ownerId: aliceOwner.id })).apiKey;
    ({ publicKey } = await agentKeyPair());
    alice = (await signIn(relay.url, ALICE.email, ALICE.password)).cookies;
    bob = (await signIn(relay.url, BOB.email, BOB.password)).cookies;
  });
  afterAll(async () => {
    await relay?.stop();
    await push?.close();
  });

  const browser = (
    cookies: BrowserCookies,
    path: string,
    options: { method?: string; json?: unknown } = {},
  ) => asBrowser(relay.url, cookies, path, options);
  const subscribed = async (cookies: BrowserCookies, endpoint: string) =>
    (await browser(cookies, `${SUBSCRIPTIONS}/state`, { json: { endpoint } })).body.subscribed;

  async function createOtp(): Promise<string> {
    const created = await call(relay.url, '/api/v1/otp', {
      token: aliceAgentKey,
      json: { reason: 'Sign up at Acme', publicKey },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('hands out the VAPID public key generated on first start, kept in a 0600 file', async () => {
    const res = await browser(alice, '/api/v1/owner/push/vapid-public-key');
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body.publicKey, 'base64url')).toHaveLength(65);
    expect(statSync(join(relay.dataDir, 'vapid.key')).mode & 0o777).toBe(0o600);
    const anonymous = await call(relay.url, '/api/v1/owner/push/vapid-public-key');
    expect(anonymous.status).toBe(401);
  });

  it('refuses malformed subscriptions with a clear 400', async () => {
    const good = push.subscribe();
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, endpoint: 'ftp://push.example/x' }, /endpoint must be an https:\/\/ URL/],
      [{ ...good, keys: { ...good.keys, p256dh: 'AAAA' } }, /65 bytes/],
      [{ ...good, keys: { ...good.keys, auth: `${good.keys.auth}AA` } }, /16 bytes/],
      [{ ...good, extra: 1 }, /extra/],
      [{ endpoint: good.endpoint }, /keys/],
      [{ ...good, endpoint: `https://push.example/${'x'.repeat(2100)}` }, /2048/],
    ];
    for (const [body, message] of cases) {
      const res = await browser(alice, SUBSCRIPTIONS, { json: body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
  });

  it('sends one encrypted message per new request that the push service decrypts: safe facts, no code', async () => {
    const device = push.subscribe();
    expect((await browser(alice, SUBSCRIPTIONS, { json: device })).status).toBe(201);
    expect(await subscribed(alice, device.endpoint)).toBe(true);
    expect(await subscribed(bob, device.endpoint)).toBe(false);
    const bobDevice = push.subscribe();
    expect((await browser(bob, SUBSCRIPTIONS, { json: bobDevice })).status).toBe(201);

    const id = await createOtp();
    const message = await eventually(async () =>
      push.received.find((m) => m.endpoint === device.endpoint && m.plaintext.includes(id)),
    );
    expect(push.refused).toEqual([]);
    expect(message.ttl).toBeGreaterThan(0);
    expect(message.urgency).toBe('high');
    expect(message.claims.aud).toBe(push.origin);
    const key = (await browser(alice, '/api/v1/owner/push/vapid-public-key')).body.publicKey;
    expect(message.vapidKey).toBe(key);
    const payload = JSON.parse(message.plaintext);
    expect(payload).toMatchObject({ requestId: id, kind: 'otp', agent: 'alice-agent' });
    expect(['low', 'elevated', 'high']).toContain(payload.risk);
    expect(payload.url).toMatch(new RegExp(`/approvals/${id}$`));
    expect(Object.keys(payload).sort()).toEqual(['agent', 'kind', 'requestId', 'risk', 'title', 'url']);
    // Bob's browser hears nothing of Alice's request.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(push.received.filter((m) => m.endpoint === bobDevice.endpoint)).toEqual([]);
    expect(push.received.filter((m) => m.plaintext.includes(id))).toHaveLength(1);
  });

  it('retries a push service that answers 503 and delivers once it recovers', async () => {
    const device = push.subscribe();
    expect((await browser(alice, SUBSCRIPTIONS, { json: device })).status).toBe(201);
    push.failNext(device.endpoint, 1);
    const id = await createOtp();
    await eventually(
      async () => push.received.find((m) => m.endpoint === device.endpoint && m.plaintext.includes(id)),
      10_000,
    );
    expect(push.attempts.get(device.endpoint)).toBe(2);
    expect(await subscribed(alice, device.endpoint)).toBe(true);
  });

  it('removes only the owner’s subscription when the push service answers 410, and never another owner’s', async () => {
    const device = push.subscribe();
    expect((await browser(alice, SUBSCRIPTIONS, { json: device })).status).toBe(201);
    // The same browser signed in as Bob too: a row of his own, which Alice's 410 must not touch.
    expect((await browser(bob, SUBSCRIPTIONS, { json: device })).status).toBe(201);
    // Bob unsubscribing leaves Alice's row alone.
    const other = push.subscribe();
    expect((await browser(alice, SUBSCRIPTIONS, { json: other })).status).toBe(201);
    const removed = await browser(bob, SUBSCRIPTIONS, {
      method: 'DELETE',
      json: { endpoint: other.endpoint },
    });
    expect(removed.status).toBe(200);
    expect(await subscribed(alice, other.endpoint)).toBe(true);

    push.gone(device.endpoint);
    await createOtp();
    await eventually(async () => !(await subscribed(alice, device.endpoint)));
    expect(await subscribed(bob, device.endpoint)).toBe(true);
    expect(await subscribed(alice, other.endpoint)).toBe(true);

    const off = await browser(alice, SUBSCRIPTIONS, { method: 'DELETE', json: { endpoint: other.endpoint } });
    expect(off.body).toEqual({ subscribed: false });
    expect(await subscribed(alice, other.endpoint)).toBe(false);
  });
});

describe('push endpoint policy', () => {
  it('refuses http and internal addresses unless PUSH_ALLOW_PRIVATE', async () => {
    const strict = pushEndpointPolicy(false);
    await expect(assertPushEndpointAllowed(strict, 'http://push.example.com/x')).rejects.toThrow(/https/);
    for (const host of ['127.0.0.1', '[::1]', '169.254.169.254', '10.0.0.5'])
      await expect(assertPushEndpointAllowed(strict, `https://${host}/push`)).rejects.toThrow(
        /internal address/,
      );
    await expect(assertPushEndpointAllowed(strict, 'https://user:pw@8.8.8.8/push')).rejects.toThrow(
      /user name/,
    );
    await expect(assertPushEndpointAllowed(strict, 'https://8.8.8.8/push')).resolves.toBeUndefined();
    await expect(
      assertPushEndpointAllowed(pushEndpointPolicy(true), 'http://127.0.0.1:9/push'),
    ).resolves.toBeUndefined();
  });
});
