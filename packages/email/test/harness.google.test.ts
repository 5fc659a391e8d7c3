import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMessage } from './support/build-message.js';
import { type FakeGoogle, startFakeGoogle } from './support/fake-google.js';

const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

let google: FakeGoogle;
beforeEach(async () => {
  google = await startFakeGoogle({ pageSize: 2 });
});
afterEach(async () => {
  await google.close();
});

async function postToken(fields: Record<string, string>) {
  const res = await fetch(google.tokenUrl, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function refresh(): Promise<string> {
  const { status, body } = await postToken({
    grant_type: 'refresh_token',
    refresh_token: google.refreshToken,
    client_id: google.clientId,
    client_secret: google.clientSecret,
  });
  expect(status).toBe(200);
  return body.access_token as string;
}

interface MessageRef {
  id: string;
  threadId: string;
}
interface Profile {
  emailAddress: string;
  messagesTotal: number;
  threadsTotal: number;
  historyId: string;
}
interface HistoryList {
  history?: Array<{
    id: string;
    messages: MessageRef[];
    messagesAdded: Array<{ message: MessageRef & { labelIds: string[] } }>;
  }>;
  nextPageToken?: string;
  historyId: string;
}
interface MessageList {
  messages?: MessageRef[];
  nextPageToken?: string;
  resultSizeEstimate: number;
}
interface Message extends MessageRef {
  labelIds: string[];
  snippet: string;
  historyId: string;
  internalDate: string;
  sizeEstimate: number;
  raw?: string;
  payload?: { mimeType: string; headers: Array<{ name: string; value: string }> };
}
interface GoogleError {
  error: { code: number; message: string; errors: Array<Record<string, string>>; status: string };
}

/** GET a Gmail route; the body type is what a 200 would carry (errors are asserted via `status`). */
async function gmail<T = GoogleError>(
  path: string,
  token: string | undefined,
  query: Record<string, string | string[]> = {},
) {
  const url = new URL(`${google.gmailUrl}/users/me/${path}`);
  for (const [key, value] of Object.entries(query)) {
    for (const v of [value].flat()) url.searchParams.append(key, v);
  }
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

const otpMail = (n: number) =>
  buildMessage({ from: 'no-reply@bank.example', subject: `Code ${n}`, text: `Your code is ${n}` });

describe('fake Google OAuth', () => {
  it('refreshes an access token without issuing a new refresh token', async () => {
    const { status, body } = await postToken({
      grant_type: 'refresh_token',
      refresh_token: google.refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      scope: READONLY,
      token_type: 'Bearer',
    });
    const profile = await gmail<Profile>('profile', body.access_token as string);
    expect(profile.body).toEqual({
      emailAddress: google.emailAddress,
      messagesTotal: 0,
      threadsTotal: 0,
      historyId: expect.stringMatching(/^\d+$/),
    });
  });

  it('runs the loopback flow with PKCE: consent redirect, single-use code, refresh token', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const auth = new URL(google.authUrl);
    auth.search = new URLSearchParams({
      client_id: google.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: READONLY,
      state: 'st-1',
      access_type: 'offline',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const consent = await fetch(auth, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('scope')).toBe(READONLY);

    const exchange = {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      client_id: google.clientId,
      client_secret: google.clientSecret,
      code_verifier: verifier,
    };
    const first = await postToken(exchange);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      token_type: 'Bearer',
      scope: READONLY,
      refresh_token: expect.stringMatching(/^1\/\//),
    });
    expect((await postToken(exchange)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses consent without the gmail.readonly scope or for an unknown client', async () => {
    const ask = (params: Record<string, string>) =>
      fetch(`${google.authUrl}?${new URLSearchParams(params)}`, { redirect: 'manual' });
    const base = {
      client_id: google.clientId,
      redirect_uri: 'http://127.0.0.1:1/',
      response_type: 'code',
      scope: READONLY,
    };
    expect((await ask({ ...base, scope: 'openid email' })).status).toBe(400);
    expect((await ask({ ...base, client_id: 'someone-else' })).status).toBe(401);
    expect((await ask({ ...base, redirect_uri: 'https://evil.example/' })).status).toBe(400);
  });

  it('answers invalid_client (401) for a wrong secret and invalid_grant (400) after revocation', async () => {
    const wrongSecret = await postToken({
      grant_type: 'refresh_token',
      refresh_token: google.refreshToken,
      client_id: google.clientId,
      client_secret: 'nope',
    });
    expect(wrongSecret).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Unauthorized' },
    });

    const token = await refresh();
    google.revokeRefreshToken();
    const revoked = await postToken({
      grant_type: 'refresh_token',
      refresh_token: google.refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
    });
    expect(revoked).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    expect((await gmail('profile', token)).status).toBe(401);
  });
});

describe('fake Gmail API', () => {
  it('rejects an expired access token with 401 and Google’s error body', async () => {
    google.setAccessTokenTtl(0);
    const { body: tokenBody } = await postToken({
      grant_type: 'refresh_token',
      refresh_token: google.refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
    });
    expect(tokenBody.expires_in).toBe(0);
    const res = await gmail('profile', tokenBody.access_token as string);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(res.body).toEqual({
      error: {
        code: 401,
        message: expect.stringMatching(/^Request had invalid authentication credentials/),
        errors: [expect.objectContaining({ reason: 'authError', location: 'Authorization' })],
        status: 'UNAUTHENTICATED',
      },
    });
    expect((await gmail('profile', undefined)).body.error.errors[0]?.reason).toBe('required');

    google.setAccessTokenTtl(3599);
    expect((await gmail('profile', await refresh())).status).toBe(200);
  });

  it('pages history.list oldest first and filters by label', async () => {
    const token = await refresh();
    const start = (await gmail<Profile>('profile', token)).body.historyId;
    const added = [1, 2, 3, 4, 5].map((n) => google.addMessage(otpMail(n)));
    google.addMessage(otpMail(6), ['SPAM']);

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await gmail<HistoryList>('history', token, {
        startHistoryId: start,
        historyTypes: 'messageAdded',
        labelId: 'INBOX',
        maxResults: '100',
        ...(pageToken && { pageToken }),
      });
      expect(status).toBe(200);
      expect(body.history?.length).toBeLessThanOrEqual(2);
      for (const record of body.history ?? []) {
        const [added] = record.messagesAdded;
        expect(record.messages).toEqual([{ id: added?.message.id, threadId: expect.any(String) }]);
        expect(added?.message.labelIds).toEqual(['INBOX']);
        if (added) seen.push(added.message.id);
      }
      expect(body.historyId).toBe((await gmail<Profile>('profile', token)).body.historyId);
      pageToken = body.nextPageToken;
      pages++;
    } while (pageToken);

    expect(pages).toBe(3);
    expect(seen).toEqual(added.map((m) => m.id));
    const latest = added.at(-1)!.historyId;
    const nothingNew = await gmail<HistoryList>('history', token, {
      startHistoryId: latest,
      labelId: 'INBOX',
    });
    expect(nothingNew.body).not.toHaveProperty('history');
  });

  it('answers 404 for a startHistoryId older than expireHistory()', async () => {
    const token = await refresh();
    const old = google.addMessage(otpMail(1)).historyId;
    google.addMessage(otpMail(2));
    google.expireHistory();
    const expired = await gmail('history', token, { startHistoryId: old });
    expect(expired).toMatchObject({
      status: 404,
      body: {
        error: {
          code: 404,
          message: 'Requested entity was not found.',
          errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
          status: 'NOT_FOUND',
        },
      },
    });
    const current = (await gmail<Profile>('profile', token)).body.historyId;
    expect((await gmail('history', token, { startHistoryId: current })).status).toBe(200);
  });

  it('returns format=raw as base64url that decodes to the added message, and metadata headers', async () => {
    const token = await refresh();
    const raw = buildMessage({
      from: 'Bänk <no-reply@bank.example>',
      subject: 'Dein Code',
      text: 'Code: 771203 <ok>',
    });
    const { id, historyId } = google.addMessage(raw);

    const full = await gmail<Message>(`messages/${id}`, token, { format: 'raw' });
    expect(full.body).toMatchObject({
      id,
      threadId: id,
      labelIds: ['INBOX'],
      historyId,
      snippet: 'Code: 771203 &lt;ok&gt;',
    });
    expect(Number(full.body.internalDate)).toBeGreaterThan(Date.now() - 60_000);
    const decoded = Buffer.from(full.body.raw ?? '', 'base64url').toString('utf8');
    expect(decoded).toBe(raw);
    expect((await simpleParser(decoded)).text?.trim()).toBe('Code: 771203 <ok>');

    const meta = await gmail<Message>(`messages/${id}`, token, {
      format: 'metadata',
      metadataHeaders: ['From', 'Subject'],
    });
    expect(meta.body.payload?.headers).toEqual([
      { name: 'From', value: 'Bänk <no-reply@bank.example>' },
      { name: 'Subject', value: 'Dein Code' },
    ]);
    expect((await gmail('messages/ffff', token, { format: 'raw' })).status).toBe(404);
  });

  it('lists messages newest first for a full resync and records every request', async () => {
    const token = await refresh();
    const ids = [1, 2, 3].map((n) => google.addMessage(otpMail(n)).id);
    const first = await gmail<MessageList>('messages', token, { q: 'newer_than:1d', maxResults: '10' });
    expect(first.body).toMatchObject({ messages: [{ id: ids[2] }, { id: ids[1] }], resultSizeEstimate: 3 });
    const second = await gmail<MessageList>('messages', token, { pageToken: first.body.nextPageToken ?? '' });
    expect(second.body.messages).toEqual([{ id: ids[0], threadId: ids[0] }]);
    expect(second.body).not.toHaveProperty('nextPageToken');

    const listed = google.requests().filter((r) => r.path === '/gmail/v1/users/me/messages');
    expect(listed[0]).toEqual({
      method: 'GET',
      path: '/gmail/v1/users/me/messages',
      query: { q: 'newer_than:1d', maxResults: '10' },
      auth: `Bearer ${token}`,
    });
  });
});
