import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { DEFAULT_DELIVERY_CONFIDENCE, extractOTP } from '@agent-otp/extract';
import {
  decryptOtpPayloadFor,
  MAX_UNCLEAR_MESSAGES_PER_REQUEST,
  type OwnerOtpRequest,
  type UnclearMessage,
} from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

// Issue 14: a matched message whose code is not clear enough is not delivered; the request
// stays open and its owner sees "a message from <sender> arrived but held no clear code".

/** Labelled only by "Login:", the extractor is unsure of this code (checked below, not assumed). */
const UNCLEAR_CODE = '48213907';
const UNCLEAR_TEXT = `Zephyrquartz account. Login: ${UNCLEAR_CODE}`;
/** Nothing here looks like a code. */
const NO_CODE_TEXT = 'Your parcel is on its way';
const CLEAR_CODE = '730194';
const CLEAR_TEXT = `Your verification code is ${CLEAR_CODE}`;
const SUBJECT = 'Quillfeather notice';

describe('the test messages say what the tests assume of them', () => {
  // The extractor is tuned over time; if these fail, pick messages that still say this.
  it('an unclear code, no code, and a clear code', () => {
    const unclear = extractOTP({ source: 'email', subject: SUBJECT, text: UNCLEAR_TEXT });
    expect(unclear?.code).toBe(UNCLEAR_CODE);
    expect(unclear?.confidence).toBeLessThan(DEFAULT_DELIVERY_CONFIDENCE);
    expect(extractOTP({ source: 'email', subject: SUBJECT, text: NO_CODE_TEXT })).toBeNull();
    expect(extractOTP({ source: 'email', subject: SUBJECT, text: CLEAR_TEXT })?.confidence).toBeGreaterThan(
      DEFAULT_DELIVERY_CONFIDENCE,
    );
  });
});

describeEachDialect('unclear messages are noted for the owner, never delivered or stored', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let emailSource: { id: string; token: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'unclear-agent' }));
    emailSource = await relay.createSource('email');
  });
  afterAll(() => relay.stop());

  async function openRequest(sources: Array<'email' | 'sms'> = ['email'], senderPattern = '*@bank.test') {
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sign in', filter: { sources, senderPattern }, publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
    return { id: created.body.id as string, keys };
  }

  function capture(text: string, receivedAt = new Date()) {
    return call(relay.url, '/api/v1/capture/messages', {
      token: emailSource.token,
      json: { from: 'Bank <codes@bank.test>', subject: SUBJECT, text, receivedAt: receivedAt.toISOString() },
    });
  }

  async function ownerView(id: string, token = relay.ownerToken) {
    return call<OwnerOtpRequest>(relay.url, `/api/v1/requests/${id}`, { token });
  }

  it('leaves the request open and shows the owner each unclear message, then delivers a clear one', async () => {
    const request = await openRequest();
    const times = [0, 1].map((i) => new Date(Date.now() - 30_000 + i * 1000));
    for (const [i, text] of [UNCLEAR_TEXT, NO_CODE_TEXT].entries()) {
      const captured = await capture(text, times[i]);
      expect(captured.status).toBe(200);
      expect(captured.body).toMatchObject({ matched: false, requestId: request.id, reason: 'no_code_found' });
    }

    const viewed = await ownerView(request.id);
    expect(viewed.body.status).toBe('approved');
    const expectedConfidence = (text: string) =>
      Math.round((extractOTP({ source: 'email', subject: SUBJECT, text })?.confidence ?? 0) * 100) / 100;
    expect(viewed.body.unclearMessages).toEqual<UnclearMessage[]>([
      {
        receivedAt: times[0]!.toISOString(),
        source: 'email',
        from: 'codes@bank.test',
        outcome: 'unclear_code',
        confidence: expectedConfidence(UNCLEAR_TEXT),
      },
      {
        receivedAt: times[1]!.toISOString(),
        source: 'email',
        from: 'codes@bank.test',
        outcome: 'no_code',
        confidence: null,
      },
    ]);

    const listed = await call<{ requests: OwnerOtpRequest[] }>(relay.url, '/api/v1/requests?limit=50', {
      token: relay.ownerToken,
    });
    expect(listed.body.requests.find((r) => r.id === request.id)?.unclearMessages).toEqual(
      viewed.body.unclearMessages,
    );

    const audit = await call(relay.url, `/api/v1/audit?q=${request.id}&limit=50`, {
      token: relay.ownerToken,
    });
    const notes = (audit.body.events as Array<{ action: string; targetId: string; details: object }>).filter(
      (event) => event.action === 'otp.unclear_message',
    );
    expect(notes).toHaveLength(2);
    expect(notes.map((n) => n.targetId)).toEqual([request.id, request.id]);
    expect(notes.map((n) => (n.details as { outcome: string }).outcome).sort()).toEqual([
      'no_code',
      'unclear_code',
    ]);
    for (const note of notes)
      expect(note.details).toMatchObject({ sender: 'codes@bank.test', sourceKind: 'email' });

    // A clearer message still serves the request.
    const delivered = await capture(CLEAR_TEXT);
    expect(delivered.body).toMatchObject({ matched: true, requestId: request.id, reason: 'delivered' });
    const consumed = await call(relay.url, `/api/v1/otp/${request.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    const payload = await decryptOtpPayloadFor(
      consumed.body.encryptedPayload,
      request.keys.privateKey,
      request.id,
    );
    expect(payload.code).toBe(CLEAR_CODE);
  });

  it('keeps neither the text, the subject nor any candidate code in the database or the logs', async () => {
    const dump = await relay.dumpDatabase();
    expect(dump).toContain('unclear_code');
    const logs = relay.logs.join('\n');
    expect(logs.length).toBeGreaterThan(100);
    for (const secret of [UNCLEAR_CODE, 'Zephyrquartz', 'Quillfeather', 'parcel']) {
      expect(dump.includes(secret), `${secret} found in the database`).toBe(false);
      expect(logs.includes(secret), `${secret} found in the logs`).toBe(false);
    }
  });

  it(`records at most ${MAX_UNCLEAR_MESSAGES_PER_REQUEST} notes per request, and a repeated message once`, async () => {
    const request = await openRequest();
    const first = new Date(Date.now() - 60_000);
    await capture(UNCLEAR_TEXT, first);
    await capture(UNCLEAR_TEXT, first);
    expect((await ownerView(request.id)).body.unclearMessages).toHaveLength(1);
    for (let i = 1; i <= MAX_UNCLEAR_MESSAGES_PER_REQUEST + 3; i++)
      await capture(NO_CODE_TEXT, new Date(first.getTime() + i * 1000));
    const viewed = await ownerView(request.id);
    expect(viewed.body.unclearMessages).toHaveLength(MAX_UNCLEAR_MESSAGES_PER_REQUEST);
    expect(viewed.body.status).toBe('approved');
    const audit = await call(relay.url, `/api/v1/audit?q=${request.id}&limit=50`, {
      token: relay.ownerToken,
    });
    const notes = (audit.body.events as Array<{ action: string }>).filter(
      (e) => e.action === 'otp.unclear_message',
    );
    expect(notes).toHaveLength(MAX_UNCLEAR_MESSAGES_PER_REQUEST);
    await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
  });

  it('notes an unclear message on every request of a tie, and holds nothing for the owner', async () => {
    const other = await relay.createAgent({ name: 'other-unclear-agent' });
    const mine = await openRequest(['email'], '*@tie.test');
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: other.apiKey,
      json: {
        reason: 'tie',
        filter: { sources: ['email'], senderPattern: '*@tie.test' },
        publicKey: keys.publicKey,
      },
    });
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
    const captured = await call(relay.url, '/api/v1/capture/messages', {
      token: emailSource.token,
      json: { from: 'codes@tie.test', subject: SUBJECT, text: UNCLEAR_TEXT },
    });
    expect(captured.body).toMatchObject({ matched: false, reason: 'no_code_found' });
    for (const id of [mine.id, created.body.id as string]) {
      const viewed = await ownerView(id);
      expect(viewed.body.status).toBe('approved');
      expect(viewed.body.unclearMessages).toMatchObject([
        { from: 'codes@tie.test', outcome: 'unclear_code' },
      ]);
    }
    const held = await call(relay.url, '/api/v1/held-messages', { token: relay.ownerToken });
    expect(held.status).toBe(200);
    expect(JSON.stringify(held.body)).not.toContain('tie.test');
    await call(relay.url, `/api/v1/otp/${mine.id}`, { method: 'DELETE', token: apiKey });
    await call(relay.url, `/api/v1/otp/${created.body.id}`, { method: 'DELETE', token: other.apiKey });
  });

  it('notes an unclear SMS that came through a provider webhook', async () => {
    const created = await relay.ownerFetch('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ kind: 'sms', name: 'sms generic', provider: 'generic' }),
    });
    expect(created.status).toBe(201);
    const sms = (await created.json()) as { source: { id: string }; token: string };
    const request = await openRequest(['sms'], '+15550003333');
    const sent = await call(relay.url, `/api/v1/sms/generic/${sms.source.id}`, {
      token: sms.token,
      json: { from: '+15550003333', text: UNCLEAR_TEXT },
    });
    expect(sent.status).toBe(200);
    const viewed = await ownerView(request.id);
    expect(viewed.body.status).toBe('approved');
    expect(viewed.body.unclearMessages).toMatchObject([
      { source: 'sms', from: '+15550003333', outcome: 'unclear_code' },
    ]);
    await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
  });

  it('takes a note from a source that extracts on its own side, and refuses content or a stranger', async () => {
    const request = await openRequest();
    const path = `/api/v1/capture/requests/${request.id}/unclear`;
    const note = {
      from: 'codes@bank.test',
      receivedAt: new Date(Date.now() - 5000).toISOString(),
      outcome: 'unclear_code',
      confidence: 0.42,
    };
    const taken = await call(relay.url, path, { token: emailSource.token, json: note });
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ recorded: true });
    expect((await call(relay.url, path, { token: emailSource.token, json: note })).body).toEqual({
      recorded: false,
    });

    const refusals = [
      [{ ...note, text: UNCLEAR_TEXT }, 400],
      [{ ...note, code: UNCLEAR_CODE }, 400],
      [{ ...note, outcome: 'no_code' }, 400],
      [{ ...note, confidence: 1.5 }, 400],
      [{ ...note, from: 'someone@elsewhere.test' }, 400],
    ] as const;
    for (const [body, status] of refusals) {
      const refused = await call(relay.url, path, { token: emailSource.token, json: body });
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.body.error.message).toBeTruthy();
    }
    const smsSource = await relay.createSource('sms');
    const wrongKind = await call(relay.url, path, {
      token: smsSource.token,
      json: { ...note, from: '+15550001111' },
    });
    expect(wrongKind.status).toBe(403);

    const viewed = await ownerView(request.id);
    expect(viewed.body.unclearMessages).toEqual([
      {
        receivedAt: note.receivedAt,
        source: 'email',
        from: 'codes@bank.test',
        outcome: 'unclear_code',
        confidence: 0.42,
      },
    ]);

    // A closed request takes no note.
    await call(relay.url, `/api/v1/otp/${request.id}`, { method: 'DELETE', token: apiKey });
    const closed = await call(relay.url, path, {
      token: emailSource.token,
      json: { ...note, receivedAt: new Date().toISOString() },
    });
    expect(closed.status).toBe(409);
  });

  it('shows another owner nothing, and takes no note from another owner’s source', async () => {
    const request = await openRequest();
    await capture(UNCLEAR_TEXT);
    // The first account claims the test relay's passwordless default owner; the second is a stranger.
    await createOwnerAccount(relay.ctx, {
      email: 'first@example.com',
      password: 'a long passphrase 1',
      channel: 'cli',
    });
    const { owner: other } = await createOwnerAccount(relay.ctx, {
      email: 'other@example.com',
      password: 'a long passphrase 2',
      channel: 'cli',
    });
    expect(other.id).not.toBe(relay.owner.id);
    const otherToken = await createOwnerToken(relay.ctx, other.id, 300);

    expect((await ownerView(request.id)).body.unclearMessages).toHaveLength(1);
    expect((await ownerView(request.id, otherToken)).status).toBe(404);
    const listed = await call(relay.url, '/api/v1/requests?limit=200', { token: otherToken });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('bank.test');
    const audit = await call(relay.url, '/api/v1/audit?q=otp.unclear_message&limit=200', {
      token: otherToken,
    });
    expect(audit.body.events).toEqual([]);

    const otherSource = await relay.createSource('email', other.id);
    const stranger = await call(relay.url, `/api/v1/capture/requests/${request.id}/unclear`, {
      token: otherSource.token,
      json: {
        from: 'codes@bank.test',
        receivedAt: new Date().toISOString(),
        outcome: 'no_code',
        confidence: null,
      },
    });
    expect(stranger.status).toBe(404);
    expect((await ownerView(request.id)).body.unclearMessages).toHaveLength(1);
  });
});

describeEachDialect('EXTRACT_MIN_CONFIDENCE sets the delivery threshold', (dialect) => {
  let relay: TestRelay;
  beforeAll(async () => {
    // Just below what the extractor gives UNCLEAR_TEXT: the same message is now clear enough.
    const confidence = extractOTP({ source: 'email', subject: SUBJECT, text: UNCLEAR_TEXT })?.confidence ?? 1;
    relay = await startTestRelay(dialect, { env: { EXTRACT_MIN_CONFIDENCE: String(confidence - 0.01) } });
  });
  afterAll(() => relay.stop());

  it('delivers a code at or above the configured threshold', async () => {
    const { apiKey } = await relay.createAgent({ name: 'threshold-agent' });
    const { token } = await relay.createSource('email');
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sign in', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
    const captured = await call(relay.url, '/api/v1/capture/messages', {
      token,
      json: { from: 'codes@bank.test', subject: SUBJECT, text: UNCLEAR_TEXT },
    });
    expect(captured.body).toMatchObject({ matched: true, reason: 'delivered' });
    const consumed = await call(relay.url, `/api/v1/otp/${created.body.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    const payload = await decryptOtpPayloadFor(
      consumed.body.encryptedPayload,
      keys.privateKey,
      created.body.id,
    );
    expect(payload.code).toBe(UNCLEAR_CODE);
  });
});
