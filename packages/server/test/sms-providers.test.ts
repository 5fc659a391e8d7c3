// Issue 12: SMS capture from real providers. Each sender's request is built and signed here
// exactly as that provider builds it (independently of the relay's own signing code), sent
// to a live relay over loopback, and must deliver the code to a waiting agent; unsigned,
// wrongly signed, stale and replayed deliveries must be refused and change nothing.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, createCaptureSource, SYSTEM_ACTOR } from '@agent-otp/core';
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, type CallResult, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** What the relay is told it is reachable at, as behind a reverse proxy; signatures use it. */
const PUBLIC_URL = 'https://otp.example.test';

const unixNow = () => String(Math.floor(Date.now() / 1000));

/** Every file under `dir`, as text, for plaintext scans. */
function readAll(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    text += statSync(path).isDirectory() ? readAll(path) : readFileSync(path).toString('latin1');
  }
  return text;
}

describeEachDialect('SMS providers deliver codes to waiting agents', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let shiftMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + shiftMs) };

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { PUBLIC_URL, LOOKBACK_SECONDS: '120' } });
    relay.ctx.clock = clock;
    ({ apiKey } = await relay.createAgent({ name: 'sms-agent' }));
  });
  afterAll(() => relay.stop());
  afterEach(() => {
    shiftMs = 0;
  });

  async function createSource(body: Record<string, unknown>) {
    const response = await relay.ownerFetch('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ kind: 'sms', name: `sms ${body.provider}`, ...body }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as {
      source: { id: string; webhookUrl: string; messagesReceived: number };
      token: string;
      signingSecret?: string;
      webhookUrl: string;
      setup: { fields: Array<{ label: string; value: string; secret?: boolean }> };
    };
  }

  async function sourceStats(id: string) {
    return (await (await relay.ownerFetch(`/api/v1/sources/${id}`)).json()) as {
      messagesReceived: number;
      lastMessageAt: string | null;
      lastError: string | null;
    };
  }

  /** An agent's request for an SMS code, approved by the owner. */
  async function openRequest(key = apiKey) {
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: key,
      json: { reason: 'Sign in to Acme', filter: { sources: ['sms'] }, publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    const approved = await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, {
      method: 'POST',
    });
    expect(approved.status).toBe(200);
    return { id: created.body.id as string, keys };
  }

  /** What the agent does: long-polls until the code is there, consumes it and decrypts it. */
  async function agentReceives(request: { id: string; keys: { privateKey: CryptoKey } }, key = apiKey) {
    for (let round = 0; round < 10; round++) {
      const status = await call(relay.url, `/api/v1/otp/${request.id}?wait=5`, { token: key });
      if (status.body.status === 'otp_received') break;
    }
    const consumed = await call(relay.url, `/api/v1/otp/${request.id}/consume`, {
      method: 'POST',
      token: key,
    });
    expect(consumed.status).toBe(200);
    return decryptOtpPayloadFor(consumed.body.encryptedPayload, request.keys.privateKey, request.id);
  }

  async function requestStatus(id: string) {
    return (await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey })).body.status as string;
  }

  describe('owner API', () => {
    const create = (body: Record<string, unknown>) =>
      relay.ownerFetch('/api/v1/sources', { method: 'POST', body: JSON.stringify({ name: 'x', ...body }) });

    it('answers a provider field missing, or given for another provider, with a 400 naming it', async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ kind: 'sms', provider: 'twilio' }, /twilioAuthToken is required/],
        [{ kind: 'sms', provider: 'telnyx' }, /telnyxPublicKey is required/],
        [{ kind: 'sms', provider: 'telnyx', telnyxPublicKey: 'bm90IGEga2V5' }, /telnyxPublicKey must be/],
        [
          { kind: 'sms', provider: 'sms-gateway', twilioAuthToken: 'a'.repeat(32) },
          /applies to provider twilio only/,
        ],
        [
          { kind: 'sms', provider: 'twilio', twilioAuthToken: 'a'.repeat(32), signed: true },
          /signed applies/,
        ],
        [{ kind: 'email', provider: 'generic' }, /provider applies to sms sources only/],
        [{ kind: 'sms', provider: 'vonage' }, /provider/],
      ];
      for (const [body, message] of cases) {
        const response = await create(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(JSON.stringify(await response.json()), JSON.stringify(body)).toMatch(message);
      }
    });

    it('keeps the Twilio Auth Token sealed: never in the answer, the database or the log', async () => {
      const token = 'c0ffee00c0ffee00c0ffee00c0ffee00';
      const response = await create({ kind: 'sms', provider: 'twilio', twilioAuthToken: token });
      expect(response.status).toBe(201);
      const created = await response.json();
      expect(JSON.stringify(created)).not.toContain(token);
      expect(created.signingSecret).toBeUndefined();
      expect(await relay.dumpDatabase()).not.toContain(token);
      expect(relay.logs.join('\n')).not.toContain(token);
    });

    it('shows an email source with no provider and no webhook, and 404s another owner’s source', async () => {
      const email = await (await create({ kind: 'email' })).json();
      expect(email.source).toMatchObject({
        provider: null,
        webhookUrl: null,
        messagesReceived: 0,
        lastError: null,
      });
      expect(email.webhookUrl).toBeUndefined();
      const missing = 'src_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
      expect((await relay.ownerFetch(`/api/v1/sources/${missing}`)).status).toBe(404);
      expect((await relay.ownerFetch(`/api/v1/sources/${missing}/rotate`, { method: 'POST' })).status).toBe(
        404,
      );
    });
  });

  describe('SMS Gateway for Android', () => {
    let gateway: Awaited<ReturnType<typeof createSource>>;
    beforeAll(async () => {
      gateway = await createSource({ provider: 'sms-gateway' });
    });

    const envelope = (id: string, message: string) =>
      JSON.stringify({
        deviceId: 'ffffffffceb0b1db0000018e937c815b',
        event: 'sms:received',
        id,
        webhookId: 'wh_1',
        payload: {
          messageId: 'abc123',
          message,
          sender: '+15550001111',
          recipient: null,
          simNumber: 1,
          receivedAt: '2026-12-01T08:46:11.000+07:00',
        },
      });

    /** Signed as the app signs: hex HMAC-SHA256(signing key, raw body + X-Timestamp). */
    function post(body: string, options: { key?: string; timestamp?: string; signature?: string } = {}) {
      const timestamp = options.timestamp ?? unixNow();
      const signature =
        options.signature ??
        createHmac('sha256', options.key ?? gateway.signingSecret!)
          .update(body + timestamp)
          .digest('hex');
      return call(relay.url, `/api/v1/sms/sms-gateway/${gateway.source.id}`, {
        raw: body,
        headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-timestamp': timestamp },
      });
    }

    it('gives the webhook URL from PUBLIC_URL, the signing key once, and the app’s fields in order', () => {
      expect(gateway.webhookUrl).toBe(`${PUBLIC_URL}/api/v1/sms/sms-gateway/${gateway.source.id}`);
      expect(gateway.signingSecret).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(gateway.setup.fields[0]).toMatchObject({ value: gateway.signingSecret, secret: true });
      expect(gateway.setup.fields.map((f) => f.value)).toContain('sms:received');
    });

    it('delivers a correctly signed message to the waiting agent, and a retry is captured once', async () => {
      const request = await openRequest();
      const body = envelope('evt-gw-1', 'Your Acme code is 604281. Do not share it.');
      const first = await post(body);
      expect(first.status).toBe(200);
      expect(first.body.outcome).toBe('captured');
      // The app retries the same event (same id, a fresh timestamp) when it missed our answer.
      const retry = await post(body);
      expect(retry.status).toBe(200);
      expect(retry.body.outcome).toBe('duplicate');
      const payload = await agentReceives(request);
      expect(payload).toMatchObject({ code: '604281', source: 'sms', requestId: request.id });
      const stats = await sourceStats(gateway.source.id);
      expect(stats.messagesReceived).toBe(1);
      expect(stats.lastMessageAt).not.toBeNull();
    });

    it('refuses unsigned, wrongly signed, stale and wrong-key messages, changing nothing', async () => {
      const request = await openRequest();
      const before = await sourceStats(gateway.source.id);
      const body = envelope('evt-gw-bad', 'Your Acme code is 311502.');
      const unsigned = await call(relay.url, `/api/v1/sms/sms-gateway/${gateway.source.id}`, {
        raw: body,
        headers: { 'content-type': 'application/json' },
      });
      const refused: Array<[string, CallResult]> = [
        ['unsigned', unsigned],
        ['wrong signature', await post(body, { signature: 'ab'.repeat(32) })],
        ['wrong key', await post(body, { key: 'not-the-key-the-relay-issued-000' })],
        ['stale', await post(body, { timestamp: String(Math.floor(Date.now() / 1000) - 600) })],
        ['future', await post(body, { timestamp: String(Math.floor(Date.now() / 1000) + 600) })],
      ];
      const timestamp = unixNow();
      const signature = createHmac('sha256', gateway.signingSecret!)
        .update(body + timestamp)
        .digest('hex');
      refused.push([
        'body altered after signing',
        await call(relay.url, `/api/v1/sms/sms-gateway/${gateway.source.id}`, {
          raw: body.replace('311502', '311503'),
          headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-timestamp': timestamp },
        }),
      ]);
      for (const [label, outcome] of refused) {
        expect(outcome.status, label).toBe(401);
        expect(outcome.body.error.message, label).toMatch(/X-Signature|X-Timestamp/);
        expect(JSON.stringify(outcome.body), label).not.toContain('311502');
      }
      expect(await requestStatus(request.id)).toBe('approved');
      const after = await sourceStats(gateway.source.id);
      expect(after.messagesReceived).toBe(before.messagesReceived);
      expect(after.lastError).toMatch(/X-Signature|X-Timestamp/);
      await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    });

    it('takes system:ping as a heartbeat and acknowledges other events without capturing', async () => {
      const before = await sourceStats(gateway.source.id);
      const ping = await post(
        JSON.stringify({ event: 'system:ping', id: 'ping-1', payload: { health: {} } }),
      );
      expect(ping.status).toBe(200);
      const sent = await post(
        JSON.stringify({ event: 'sms:sent', id: 'sent-1', payload: { messageId: 'm' } }),
      );
      expect(sent.status).toBe(200);
      expect(sent.body.ignored).toBe(true);
      expect((await sourceStats(gateway.source.id)).messagesReceived).toBe(before.messagesReceived);
    });

    it('answers hostile input with a 4xx: malformed JSON, missing fields, NUL, oversize', async () => {
      expect((await post('{"event": "sms:received", ')).status).toBe(400);
      expect(
        (await post(JSON.stringify({ event: 'sms:received', id: 'x', payload: { message: 'hi' } }))).status,
      ).toBe(400);
      expect((await post(envelope('nul', 'code 1234\u0000'))).status).toBe(400);
      const huge = await post(envelope('huge', 'x'.repeat(100_000)));
      expect(huge.status).toBe(413);
    });

    it('holds a message that arrived 30 s before its request, in memory only, and hands it over', async () => {
      const body = envelope('evt-gw-early', 'Acme: 739215 is your verification code');
      const early = await post(body);
      expect(early.body.outcome).toBe('held');
      expect((await sourceStats(gateway.source.id)).lastError).toMatch(/no matching request/);
      // Neither the data directory, the database nor the log holds it.
      expect(readAll(relay.dataDir)).not.toContain('739215');
      expect(await relay.dumpDatabase()).not.toContain('739215');
      expect(relay.logs.join('\n')).not.toContain('739215');
      shiftMs = 30_000;
      const request = await openRequest();
      await relay.server.services.sms.offerHeld(relay.owner.id);
      const payload = await agentReceives(request);
      expect(payload.code).toBe('739215');
    });

    it('does not hand over a message that arrived 10 minutes before the request', async () => {
      const early = await post(envelope('evt-gw-old', 'Acme: 552907 is your verification code'));
      expect(early.body.outcome).toBe('held');
      shiftMs = 10 * 60_000;
      const request = await openRequest();
      await relay.server.services.sms.offerHeld(relay.owner.id);
      expect(await requestStatus(request.id)).toBe('approved');
      await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    });

    it("never delivers another owner's source's message to this owner's agent", async () => {
      const otherOwnerId = `usr_01JD2W9X3YH4Q7M5RZ8T6KC${dialect === 'sqlite' ? 'B4N' : 'B5N'}`;
      await relay.ctx.database.db
        .insertInto('users')
        .values({
          id: otherOwnerId,
          email: 'sms-other@example.com',
          password_hash: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      const foreign = await createCaptureSource(relay.ctx, {
        ownerId: otherOwnerId,
        kind: 'sms',
        name: 'other phone',
        provider: 'sms-gateway',
        actor: SYSTEM_ACTOR,
      });
      const request = await openRequest();
      const body = envelope('evt-foreign', 'Your Acme code is 918273');
      const timestamp = unixNow();
      const foreignPost = await call(relay.url, `/api/v1/sms/sms-gateway/${foreign.source.id}`, {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'x-signature': createHmac('sha256', foreign.signingSecret!)
            .update(body + timestamp)
            .digest('hex'),
          'x-timestamp': timestamp,
        },
      });
      expect(foreignPost.status).toBe(200);
      expect(foreignPost.body.outcome).toBe('held');
      await relay.server.services.sms.offerHeld(relay.owner.id);
      expect(await requestStatus(request.id)).toBe('approved');
      // And this owner's key does not open the other owner's source.
      const crossed = await post(body, { key: foreign.signingSecret! });
      expect(crossed.status).toBe(401);
      await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    });

    it('rotates the signing key: the old one stops working', async () => {
      const old = gateway.signingSecret!;
      const rotated = await relay.ownerFetch(`/api/v1/sources/${gateway.source.id}/rotate`, {
        method: 'POST',
      });
      expect(rotated.status).toBe(200);
      const fresh = (await rotated.json()) as { signingSecret: string; token: string };
      expect(fresh.signingSecret).not.toBe(old);
      const ping = JSON.stringify({ event: 'system:ping', id: 'ping-rot', payload: {} });
      expect((await post(ping, { key: old })).status).toBe(401);
      expect((await post(ping, { key: fresh.signingSecret })).status).toBe(200);
      gateway.signingSecret = fresh.signingSecret;
    });
  });

  describe('Twilio', () => {
    const authToken = 'f3b1c2d4e5f60718293a4b5c6d7e8f90';
    let twilio: Awaited<ReturnType<typeof createSource>>;
    beforeAll(async () => {
      twilio = await createSource({ provider: 'twilio', twilioAuthToken: authToken });
    });

    /** Signed as Twilio signs: base64 HMAC-SHA1(Auth Token, URL + sorted name/value pairs). */
    function post(
      params: Record<string, string>,
      options: { token?: string; url?: string; signature?: string } = {},
    ) {
      const url = options.url ?? twilio.webhookUrl;
      const data =
        url +
        Object.keys(params)
          .sort()
          .map((name) => name + params[name])
          .join('');
      const signature =
        options.signature ??
        createHmac('sha1', options.token ?? authToken)
          .update(data)
          .digest('base64');
      return call(relay.url, `/api/v1/sms/twilio/${twilio.source.id}`, {
        raw: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });
    }

    const message = (sid: string, body: string) => ({
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: body,
      To: '+15005550006',
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: `AC${'1'.repeat(32)}`,
      From: '+15551234567',
      ApiVersion: '2010-04-01',
    });

    it('delivers a correctly signed message (URL from PUBLIC_URL) and answers empty TwiML; a retry is captured once', async () => {
      const request = await openRequest();
      const sid = `SM${'a'.repeat(32)}`;
      const first = await post(message(sid, 'Your Acme verification code is 220468'));
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(first.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      expect((await post(message(sid, 'Your Acme verification code is 220468'))).status).toBe(200);
      const payload = await agentReceives(request);
      expect(payload.code).toBe('220468');
      expect((await sourceStats(twilio.source.id)).messagesReceived).toBe(1);
    });

    it('refuses unsigned, wrongly signed, wrong-URL (the relay’s own address) and altered messages', async () => {
      const request = await openRequest();
      const params = message(`SM${'b'.repeat(32)}`, 'Your Acme verification code is 448120');
      const unsigned = await call(relay.url, `/api/v1/sms/twilio/${twilio.source.id}`, {
        raw: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const outcomes = [
        unsigned,
        await post(params, { token: 'another-accounts-auth-token-0000' }),
        await post(params, { url: `${relay.url}/api/v1/sms/twilio/${twilio.source.id}` }),
        await post(params, { signature: 'L/OH5YylLD5NRKLltdqwSvS0BnU=' }),
      ];
      for (const outcome of outcomes) {
        expect(outcome.status).toBe(401);
        expect(outcome.body.error.message).toMatch(/X-Twilio-Signature/);
      }
      expect(await requestStatus(request.id)).toBe('approved');
      await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    });

    it('answers a JSON body or missing MessageSid with a 4xx', async () => {
      const json = await call(relay.url, `/api/v1/sms/twilio/${twilio.source.id}`, {
        raw: '{}',
        headers: {
          'content-type': 'application/json',
          'x-twilio-signature': createHmac('sha1', authToken).update(twilio.webhookUrl).digest('base64'),
        },
      });
      expect(json.status).toBe(415);
      expect((await post({ From: '+1555', Body: 'hi' })).status).toBe(400);
    });
  });

  describe('Telnyx', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    // The portal shows the raw 32-byte key, base64: the last 32 bytes of the SPKI DER.
    const telnyxPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    let telnyx: Awaited<ReturnType<typeof createSource>>;
    beforeAll(async () => {
      telnyx = await createSource({ provider: 'telnyx', telnyxPublicKey });
    });

    const event = (eventId: string, messageId: string, text: string) =>
      JSON.stringify({
        data: {
          event_type: 'message.received',
          id: eventId,
          occurred_at: new Date().toISOString(),
          payload: {
            direction: 'inbound',
            from: { carrier: 'T-Mobile USA', line_type: 'long_code', phone_number: '+13125550001' },
            id: messageId,
            record_type: 'message',
            text,
            to: [{ phone_number: '+13125550002', status: 'webhook_delivered' }],
            type: 'SMS',
          },
          record_type: 'event',
        },
        meta: { attempt: 1, delivered_to: telnyx.webhookUrl },
      });

    /** Signed as Telnyx signs: Ed25519 over `<timestamp>|<raw body>`, base64. */
    function post(body: string, options: { timestamp?: string; signWith?: typeof privateKey } = {}) {
      const timestamp = options.timestamp ?? unixNow();
      const signature = sign(
        null,
        Buffer.from(`${timestamp}|${body}`),
        options.signWith ?? privateKey,
      ).toString('base64');
      return call(relay.url, `/api/v1/sms/telnyx/${telnyx.source.id}`, {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'telnyx-signature-ed25519': signature,
          'telnyx-timestamp': timestamp,
        },
      });
    }

    it('delivers a correctly signed message.received, and a retry is captured once', async () => {
      const request = await openRequest();
      const body = event('evt-tx-1', 'msg-tx-1', 'Acme code: 870153');
      expect((await post(body)).body.outcome).toBe('captured');
      expect((await post(body)).body.outcome).toBe('duplicate');
      expect((await agentReceives(request)).code).toBe('870153');
      expect((await sourceStats(telnyx.source.id)).messagesReceived).toBe(1);
    });

    it('refuses unsigned, other-key, stale and altered messages', async () => {
      const request = await openRequest();
      const body = event('evt-tx-2', 'msg-tx-2', 'Acme code: 190384');
      const other = generateKeyPairSync('ed25519').privateKey;
      const timestamp = unixNow();
      const signature = sign(null, Buffer.from(`${timestamp}|${body}`), privateKey).toString('base64');
      const outcomes = [
        await call(relay.url, `/api/v1/sms/telnyx/${telnyx.source.id}`, {
          raw: body,
          headers: { 'content-type': 'application/json' },
        }),
        await post(body, { signWith: other }),
        await post(body, { timestamp: String(Math.floor(Date.now() / 1000) - 900) }),
        await call(relay.url, `/api/v1/sms/telnyx/${telnyx.source.id}`, {
          raw: body.replace('190384', '190385'),
          headers: {
            'content-type': 'application/json',
            'telnyx-signature-ed25519': signature,
            'telnyx-timestamp': timestamp,
          },
        }),
      ];
      for (const outcome of outcomes) {
        expect(outcome.status).toBe(401);
        expect(outcome.body.error.message).toMatch(/telnyx/);
      }
      expect(await requestStatus(request.id)).toBe('approved');
      await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    });

    it('acknowledges other events without capturing', async () => {
      const body = JSON.stringify({ data: { event_type: 'message.finalized', id: 'evt-fin', payload: {} } });
      const outcome = await post(body);
      expect(outcome.status).toBe(200);
      expect(outcome.body.ignored).toBe(true);
    });
  });

  describe('generic forwarders (iOS Shortcuts, Tasker, SmsForwarder, Incoming SMS to URL)', () => {
    let plain: Awaited<ReturnType<typeof createSource>>;
    let signed: Awaited<ReturnType<typeof createSource>>;
    beforeAll(async () => {
      plain = await createSource({ provider: 'generic' });
      signed = await createSource({ provider: 'generic', signed: true });
    });

    it('takes JSON, form-encoded and query-string messages with the source token in a header', async () => {
      const variants: Array<(id: string) => Promise<CallResult>> = [
        // iOS Shortcuts "Get contents of URL", JSON body.
        () =>
          call(relay.url, `/api/v1/sms/generic/${plain.source.id}`, {
            token: plain.token,
            json: { from: '+15550002222', text: 'Acme code 305117' },
          }),
        // SmsForwarder's default form fields.
        () =>
          call(relay.url, `/api/v1/sms/generic/${plain.source.id}`, {
            raw: new URLSearchParams({
              from: '+15550002222',
              content: 'Acme code 305118',
              timestamp: '1',
            }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-source-token': plain.token },
          }),
        // Tasker HTTP Request, GET with query parameters.
        () =>
          call(
            relay.url,
            `/api/v1/sms/generic/${plain.source.id}?${new URLSearchParams({ sender: '+15550002222', message: 'Acme code 305119' })}`,
            { token: plain.token },
          ),
      ];
      for (const [index, send] of variants.entries()) {
        const request = await openRequest();
        const sent = await send(request.id);
        expect(sent.status, `variant ${index}`).toBe(200);
        expect(sent.body.outcome, `variant ${index}`).toBe('captured');
        expect((await agentReceives(request)).code).toBe(`30511${7 + index}`);
      }
      // The query-string variant's text is in the URL: the relay logs paths, never queries.
      for (const code of ['305117', '305118', '305119']) expect(relay.logs.join('\n')).not.toContain(code);
      expect(await relay.dumpDatabase()).not.toContain('305119');
    });

    it('refuses a missing or wrong token, and another source’s token', async () => {
      const body = { from: '+1555', text: 'Acme code 118822' };
      const outcomes = [
        await call(relay.url, `/api/v1/sms/generic/${plain.source.id}`, { json: body }),
        await call(relay.url, `/api/v1/sms/generic/${plain.source.id}`, {
          json: body,
          token: `cs_${'a'.repeat(43)}`,
        }),
        await call(relay.url, `/api/v1/sms/generic/${plain.source.id}`, { json: body, token: signed.token }),
      ];
      for (const outcome of outcomes) {
        expect(outcome.status).toBe(401);
        expect(outcome.body.error.message).toMatch(/source token/);
      }
    });

    it('in HMAC mode needs X-Signature over the body (with X-Timestamp when sent), refuses stale and replays', async () => {
      const request = await openRequest();
      const body = JSON.stringify({ from: '+15550003333', text: 'Acme code 640051', sentStamp: Date.now() });
      const hmac = (message: string) =>
        createHmac('sha256', signed.signingSecret!).update(message).digest('hex');
      const send = (headers: Record<string, string>) =>
        call(relay.url, `/api/v1/sms/generic/${signed.source.id}`, {
          raw: body,
          token: signed.token,
          headers: { 'content-type': 'application/json', ...headers },
        });
      expect((await send({})).status).toBe(401);
      expect((await send({ 'x-signature': hmac(`${body}x`) })).status).toBe(401);
      const stale = String(Math.floor(Date.now() / 1000) - 900);
      expect((await send({ 'x-signature': hmac(`${stale}.${body}`), 'x-timestamp': stale })).status).toBe(
        401,
      );
      // "Incoming SMS to URL" signs the body alone: accepted once, the replay is a duplicate.
      const first = await send({ 'x-signature': hmac(body) });
      expect(first.body.outcome).toBe('captured');
      const replay = await send({ 'x-signature': hmac(body) });
      expect(replay.body.outcome).toBe('duplicate');
      expect((await agentReceives(request)).code).toBe('640051');
      const ts = unixNow();
      const withTimestamp = await send({ 'x-signature': hmac(`${ts}.${body}`), 'x-timestamp': ts });
      expect(withTimestamp.status).toBe(200);
    });

    it('answers malformed bodies with a 4xx', async () => {
      const path = `/api/v1/sms/generic/${plain.source.id}`;
      const headers = { authorization: `Bearer ${plain.token}` };
      expect(
        (
          await call(relay.url, path, {
            raw: '{"from":',
            headers: { ...headers, 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await call(relay.url, path, {
            raw: 'from=%2B1',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          })
        ).status,
      ).toBe(400);
      expect(
        (await call(relay.url, path, { raw: '<sms/>', headers: { ...headers, 'content-type': 'text/xml' } }))
          .status,
      ).toBe(415);
      expect((await call(relay.url, path, { json: { from: '+1', text: 'a\u0000b' }, headers })).status).toBe(
        400,
      );
    });
  });
});
