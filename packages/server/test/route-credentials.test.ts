// Issue 10, part 2: authorisation is declared on the route and fails closed. This walks
// /openapi.json and sends every operation no credential and each wrong credential kind;
// every one must be refused (401, or 403 for a session without its CSRF header) with the
// error shape, never a 2xx or a 5xx. Public operations are named here, on purpose.
import { createOwnerAccount } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { type BrowserCookies, signIn } from '../../../test-support/session.js';
import { createApp } from '../src/app.js';
import {
  assertEveryRouteDeclared,
  declaredRoutes,
  declareRoute,
  openapiRoute,
  plainRoute,
} from '../src/declare-route.js';
import { createRouter } from '../src/openapi-app.js';

/** The only operations that take no credential. */
const PUBLIC_OPERATIONS = [
  'POST /api/v1/session',
  // Passkey sign-in (issue 15): the challenge is bound to an httpOnly cookie set by the first.
  'POST /api/v1/session/passkey/options',
  'POST /api/v1/session/passkey',
  'GET /api/v1/setup',
  'POST /api/v1/setup',
].sort();

const OWNER = { email: 'walk-owner@example.com', password: 'a long enough walking passphrase' };

type Kind = 'agent' | 'source' | 'owner' | 'session';

interface Operation {
  key: string;
  method: string;
  path: string;
  operationId: string | undefined;
  security: Array<Record<string, string[]>> | undefined;
  hasBody: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document as JSON, walked by hand.
type Json = Record<string, any>;

function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, methods]) =>
    Object.entries<Json>(methods).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      operationId: op.operationId,
      security: op.security,
      hasBody: op.requestBody !== undefined,
    })),
  );
}

/** The credential kind an operation's `security` names. */
function kindOf(op: Operation): Kind | 'public' {
  const schemes = (op.security ?? []).flatMap((entry) => Object.keys(entry)).sort();
  const joined = schemes.join(',');
  if (joined === '') return 'public';
  if (joined === 'agentKey') return 'agent';
  if (joined === 'sourceToken') return 'source';
  if (joined === 'ownerToken,sessionCookie') return 'owner';
  if (joined === 'sessionCookie') return 'session';
  throw new Error(`${op.key}: unknown security ${joined}`);
}

/** A well-formed ID of the prefix the path expects, so only the credential can be wrong. */
function plausiblePath(path: string): string {
  const prefix = path.includes('/permissions/')
    ? 'prm'
    : path.includes('/agents/')
      ? 'agt'
      : path.includes('/sources/')
        ? 'src'
        : path.includes('/policies/')
          ? 'pol'
          : path.includes('/held-messages/')
            ? 'hld'
            : 'otp';
  return path.replace('{id}', `${prefix}_01JD2W9X3YH4Q7M5RZ8T6KCB2N`);
}

interface Outcome {
  status: number;
  body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined;
}

async function send(relay: TestRelay, op: Operation, headers: Record<string, string>): Promise<Outcome> {
  const response = await fetch(`${relay.url}${plausiblePath(op.path)}`, {
    method: op.method,
    headers: op.hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(op.hasBody ? { body: '{}' } : {}),
    signal: AbortSignal.timeout(20_000),
  });
  // An event stream that opened would never end; its status is all that matters.
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, body: undefined };
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: undefined };
  }
}

describeEachDialect('every operation in /openapi.json takes only the credential it declares', (dialect) => {
  let relay: TestRelay;
  let operations: Operation[];
  let credentials: Record<Kind | 'testAgent', Record<string, string>>;
  let cookies: BrowserCookies;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'walk-agent' });
    const testAgent = await relay.createAgent({ name: 'walk-test-agent', test: true });
    const source = await relay.createSource('sms');
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    ({ cookies } = await signIn(relay.url, OWNER.email, OWNER.password));
    credentials = {
      agent: { authorization: `Bearer ${agent.apiKey}` },
      testAgent: { authorization: `Bearer ${testAgent.apiKey}` },
      source: { authorization: `Bearer ${source.token}` },
      owner: { authorization: `Bearer ${relay.ownerToken}` },
      session: { cookie: cookies.cookie, 'x-csrf-token': cookies.csrf },
    };
    const doc = await (await fetch(`${relay.url}/openapi.json`)).json();
    operations = operationsOf(doc);
  });
  afterAll(() => relay.stop());

  it('declares an operationId and a security entry on every operation', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      expect(op.operationId, op.key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(Array.isArray(op.security), `${op.key} has a security entry`).toBe(true);
    }
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
  });

  it('has exactly the public operations listed here, each with security: []', async () => {
    const open = operations.filter((op) => kindOf(op) === 'public');
    expect(open.map((op) => op.key).sort()).toEqual(PUBLIC_OPERATIONS);
    for (const op of open) expect(op.security, op.key).toEqual([]);
    // Public means public: the setup state answers without any credential.
    const setup = await send(relay, open.find((op) => op.key === 'GET /api/v1/setup')!, {});
    expect(setup.status).toBe(200);
  });

  it('refuses every protected operation without a credential and with each wrong kind', async () => {
    const garbage = { authorization: 'Bearer zz_not_a_credential_of_any_kind' };
    let refusals = 0;
    for (const op of operations) {
      const kind = kindOf(op);
      if (kind === 'public') continue;
      const wrong: Array<[string, Record<string, string>, number]> = [['no credential', {}, 401]];
      wrong.push(['garbage bearer', garbage, 401]);
      for (const other of ['agent', 'source', 'owner', 'session'] as const) {
        if (other === kind || (kind === 'owner' && other === 'session')) continue;
        wrong.push([`${other} credential`, credentials[other], 401]);
      }
      if (kind === 'source' || kind === 'owner' || kind === 'session')
        wrong.push(['test agent key', credentials.testAgent, 401]);
      // A session without its CSRF header may read, never change anything: 403, not 401.
      if ((kind === 'owner' || kind === 'session') && op.method !== 'GET')
        wrong.push(['session without CSRF', { cookie: cookies.cookie }, 403]);
      for (const [label, headers, expected] of wrong) {
        const outcome = await send(relay, op, headers);
        const what = `${op.key} (${kind}) with ${label}`;
        expect(outcome.status, what).toBe(expected);
        expect(typeof outcome.body?.error?.code, what).toBe('string');
        expect(typeof outcome.body?.error?.message, what).toBe('string');
        expect(typeof outcome.body?.error?.requestId, what).toBe('string');
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(150);
  });

  it('lets the declared credential through to the route (never 401 or 403 there, never 5xx)', async () => {
    // Sign-out last: it ends the session the other session operations use.
    const ordered = [...operations].sort(
      (a, b) => Number(a.key === 'DELETE /api/v1/session') - Number(b.key === 'DELETE /api/v1/session'),
    );
    for (const op of ordered) {
      const kind = kindOf(op);
      if (kind === 'public') continue;
      const accepted = kind === 'owner' ? [credentials.owner, credentials.session] : [credentials[kind]];
      for (const headers of accepted) {
        const outcome = await send(relay, op, headers);
        const what = `${op.key} (${kind}) with its own credential`;
        expect([401, 403], what).not.toContain(outcome.status);
        expect(outcome.status, what).toBeLessThan(500);
      }
    }
  });
});

describe('a route without a credential declaration does not start', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(() => relay.stop());

  it('declares the routes outside the document as well: public pages and the Telegram webhook', () => {
    const outside = [...declaredRoutes(createApp(relay.server.services))].filter(
      ([key]) => !key.includes(' /api/'),
    );
    expect(Object.fromEntries(outside)).toEqual({
      'GET /healthz': 'public',
      'GET /readyz': 'public',
      'GET /docs': 'public',
      'GET /docs/init.js': 'public',
      'GET /docs/assets/:file': 'public',
      'GET /openapi.json': 'public',
      'POST /telegram/webhook': 'provider:telegram',
      // The link token in the path / form is the credential (checked by the route itself).
      'GET /email-decision/:token': 'public',
      'POST /email-decision': 'public',
    });
  });

  it('takes each body limit from the declaration: 2 MiB for a captured message, 64 KiB elsewhere', async () => {
    const source = await relay.createSource('email');
    const agent = await relay.createAgent({ name: 'limits' });
    const html = `<p>${'x'.repeat(1_000_000)}</p>`;
    const captured = await call(relay.url, '/api/v1/capture/messages', {
      token: source.token,
      json: { from: 'news@example.com', html },
    });
    expect(captured.status).toBe(200);
    expect(captured.body.matched).toBe(false);
    const created = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'r', publicKey: 'x', padding: 'x'.repeat(200_000) },
    });
    expect(created.status).toBe(413);
    expect(created.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('declares each SMS webhook with its signature scheme and refuses it without that signature', async () => {
    const declared = declaredRoutes(createApp(relay.server.services));
    const sms = Object.fromEntries([...declared].filter(([key]) => key.includes('/api/v1/sms/')));
    expect(sms).toEqual({
      'POST /api/v1/sms/sms-gateway/:sourceId': 'provider:sms-gateway',
      'POST /api/v1/sms/twilio/:sourceId': 'provider:twilio',
      'POST /api/v1/sms/telnyx/:sourceId': 'provider:telnyx',
      'POST /api/v1/sms/generic/:sourceId': 'provider:sms-forwarder',
      'GET /api/v1/sms/generic/:sourceId': 'provider:sms-forwarder',
    });
    const created = await relay.ownerFetch('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ kind: 'sms', name: 'walk-gateway', provider: 'sms-gateway' }),
    });
    const gateway = (await created.json()) as { source: { id: string }; token: string };
    const body = JSON.stringify({ event: 'sms:received', id: 'e1', payload: { message: 'x', sender: '1' } });
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [`/api/v1/sms/sms-gateway/${gateway.source.id}`, {}, /X-Signature/],
      // A source token is not a signature, and one scheme's source is unknown on another's route.
      [
        `/api/v1/sms/sms-gateway/${gateway.source.id}`,
        { authorization: `Bearer ${gateway.token}` },
        /X-Signature/,
      ],
      [`/api/v1/sms/twilio/${gateway.source.id}`, { 'x-twilio-signature': 'AAAA' }, /X-Twilio-Signature/],
      [`/api/v1/sms/telnyx/${gateway.source.id}`, {}, /telnyx-signature-ed25519/],
      [
        `/api/v1/sms/generic/${gateway.source.id}`,
        { authorization: `Bearer ${gateway.token}` },
        /source token/,
      ],
      ['/api/v1/sms/sms-gateway/src_01JD2W9X3YH4Q7M5RZ8T6KCB2N', {}, /X-Signature/],
    ];
    for (const [path, headers, scheme] of cases) {
      const outcome = await call(relay.url, path, {
        raw: body,
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(outcome.status, path).toBe(401);
      expect(outcome.body.error.message, path).toMatch(scheme);
    }
  });

  it('refuses to register a provider credential it has no verifier for', () => {
    const app = createRouter();
    expect(() =>
      plainRoute(
        app,
        relay.server.services,
        { method: 'post', path: '/webhooks/other', credential: { provider: 'vonage' as 'twilio' } },
        (c) => c.text('never'),
      ),
    ).toThrow(/no verifier for provider credential vonage/);
  });

  it('refuses an app with a bare route', () => {
    const app = createRouter();
    plainRoute(app, relay.server.services, { method: 'get', path: '/declared', credential: 'public' }, (c) =>
      c.text('ok'),
    );
    expect(() => assertEveryRouteDeclared(app)).not.toThrow();
    app.post('/webhooks/new-provider', (c) => c.text('silently public'));
    expect(() => assertEveryRouteDeclared(app)).toThrow(
      /POST \/webhooks\/new-provider declares no credential/,
    );
  });

  it('refuses an OpenAPI operation whose declaration was removed at run time', () => {
    const app = createRouter();
    const route = declareRoute({
      method: 'get',
      path: '/api/v1/example',
      operationId: 'getExample',
      summary: 'An example operation',
      description: 'Declared only to have its credential removed.',
      credential: 'agent',
      responses: { 200: { description: 'ok' } },
    });
    const { credential: _dropped, ...undeclared } = route;
    expect(() =>
      openapiRoute(app, relay.server.services, undeclared as typeof route, (c) => c.json({}, 200)),
    ).toThrow(/declares no credential/);
  });

  it('refuses an OpenAPI operation without a description, so the document cannot lose one (issue 17)', () => {
    const app = createRouter();
    const route = declareRoute({
      method: 'get',
      path: '/api/v1/example',
      operationId: 'getExample',
      summary: 'An example operation',
      description: 'Declared only to have its description removed.',
      credential: 'agent',
      responses: { 200: { description: 'ok' } },
    });
    const { description: _dropped, ...undescribed } = route;
    expect(() =>
      openapiRoute(app, relay.server.services, undescribed as typeof route, (c) => c.json({}, 200)),
    ).toThrow('GET /api/v1/example needs a summary and a description');
  });
});
