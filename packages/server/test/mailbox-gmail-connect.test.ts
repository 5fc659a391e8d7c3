import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from '../../email/test/support/agent.js';
import { buildMessage } from '../../email/test/support/dovecot.js';
import { type FakeGoogle, startFakeGoogle } from '../../email/test/support/fake-google.js';

// Issue 16: "Connect Gmail" from the dashboard. Google is a loopback stand-in speaking its
// OAuth and Gmail wire formats (packages/email/test/support/fake-google.ts); the relay is real.

const CALLBACK = '/api/v1/mailboxes/gmail/callback';
const COOKIE = 'agent_otp_gmail_consent';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The owner presses "Connect Gmail": the consent URL and the browser cookie the relay set. */
async function start(relay: TestRelay): Promise<{ authorizeUrl: URL; cookie: string }> {
  const res = await call(relay.url, '/api/v1/mailboxes/gmail/start', {
    method: 'POST',
    token: relay.ownerToken,
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(
    new RegExp(`^${COOKIE}=[A-Za-z0-9_-]+; Max-Age=600; Path=${CALLBACK}; HttpOnly; SameSite=Lax`),
  );
  return { authorizeUrl: new URL(res.body.authorizeUrl), cookie: setCookie.split(';')[0] ?? '' };
}

/** Google's consent screen, consented at once: where Google sends the browser back. */
async function consent(authorizeUrl: URL): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

const back = (url: URL, cookie: string | undefined) =>
  fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describeEachDialect('Connect Gmail from the dashboard', (dialect) => {
  let google: FakeGoogle;
  let relay: TestRelay;

  beforeAll(async () => {
    google = await startFakeGoogle();
    const port = await freePort();
    relay = await startTestRelay(dialect, {
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        GMAIL_CLIENT_ID: google.clientId,
        GMAIL_CLIENT_SECRET: google.clientSecret,
        GOOGLE_AUTH_URL: google.authUrl,
        GOOGLE_TOKEN_URL: google.tokenUrl,
        GMAIL_API_ROOT: google.gmailUrl,
        GMAIL_POLL_SECONDS: '0.2',
      },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await google?.close();
  });

  it('asks Google for read-only offline access with PKCE, back to the relay’s own callback', async () => {
    const presets = await call(relay.url, '/api/v1/mailboxes/presets', { token: relay.ownerToken });
    expect(presets.body.gmailConnect).toBe(true);
    const { authorizeUrl } = await start(relay);
    const q = authorizeUrl.searchParams;
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(google.authUrl);
    expect(q.get('client_id')).toBe(google.clientId);
    expect(q.get('redirect_uri')).toBe(`${relay.url}${CALLBACK}`);
    expect(q.get('scope')).toBe('https://www.googleapis.com/auth/gmail.readonly');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('state')?.length).toBeGreaterThan(100);
  });

  it('stores the Gmail mailbox on consent, and its codes reach the owner’s waiting agent', async () => {
    const { authorizeUrl, cookie } = await start(relay);
    const callback = await consent(authorizeUrl);
    const done = await back(callback, cookie);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/sources');
    expect(done.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE}=; Max-Age=0`));

    const { mailboxes } = (await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken })).body;
    expect(mailboxes).toHaveLength(1);
    expect(mailboxes[0]).toMatchObject({
      kind: 'gmail',
      name: `Gmail ${google.emailAddress}`,
      settings: { address: google.emailAddress },
      hasCredential: true,
    });
    await eventually(async () => {
      const listed = await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken });
      return listed.body.mailboxes[0]?.health.state === 'idle';
    }, 20_000);

    const { apiKey } = await relay.createAgent({ name: 'gmail-agent' });
    const request = await openEmailRequest(relay, apiKey, '*@acme-gmail.test');
    const waiting = waitForCode(relay, request, 30_000);
    google.addMessage(
      buildMessage({
        from: 'Acme <no-reply@acme-gmail.test>',
        subject: 'Your code',
        text: 'Your code is 64028153.',
      }),
    );
    expect(await waiting).toBe('64028153');

    // The refresh token is stored sealed only: no token of Google's shape (nor the code) in any table or log line.
    const dump = await relay.dumpDatabase();
    const logs = relay.logs.join('\n');
    for (const text of [dump, logs]) {
      expect(text).not.toMatch(/1\/\/0[A-Za-z0-9_-]{20,}/);
      expect(text).not.toMatch(/ya29\.a0[A-Za-z0-9_-]{20,}/);
      expect(text).not.toContain(google.clientSecret);
      expect(text).not.toContain('64028153');
    }

    // The same answer from Google, replayed, does nothing more.
    const replay = await back(callback, cookie);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('This Gmail connection was already completed.');
  });

  it('refuses an answer that reaches another browser, or a state the relay did not seal', async () => {
    const { authorizeUrl } = await start(relay);
    const callback = await consent(authorizeUrl);
    const elsewhere = await back(callback, undefined);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('started in another browser');

    const forged = new URL(callback);
    forged.searchParams.set('state', `${callback.searchParams.get('state')?.slice(0, -4)}AAAA`);
    const tampered = await back(forged, undefined);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('does not belong to a Gmail connection this relay started');
  });

  // Several instances share one database only on PostgreSQL: on SQLite this case does not
  // exist, rather than being reported as skipped.
  if (dialect === 'postgres')
    it('finishes on another instance sharing the key; the code then works nowhere else', async () => {
      const other = await startTestRelay(dialect, {
        shareWith: relay,
        env: {
          GMAIL_CLIENT_ID: google.clientId,
          GMAIL_CLIENT_SECRET: google.clientSecret,
          GOOGLE_AUTH_URL: google.authUrl,
          GOOGLE_TOKEN_URL: google.tokenUrl,
          GMAIL_API_ROOT: google.gmailUrl,
          PUBLIC_URL: relay.url,
        },
      });
      try {
        const { authorizeUrl, cookie } = await start(relay);
        const callback = await consent(authorizeUrl);
        const there = await back(new URL(`${other.url}${callback.pathname}${callback.search}`), cookie);
        expect(there.status).toBe(303);
        const again = await back(callback, cookie);
        expect(again.status).toBe(502);
        expect(await again.text()).toContain('Google refused to finish the connection');
      } finally {
        await other.stop();
      }
      const { mailboxes } = (await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken })).body;
      expect(mailboxes.filter((m: { kind: string }) => m.kind === 'gmail')).toHaveLength(2);
    });

  it('stores nothing when the owner declines on Google’s page', async () => {
    const { authorizeUrl, cookie } = await start(relay);
    const declined = new URL(`${relay.url}${CALLBACK}`);
    declined.searchParams.set('state', authorizeUrl.searchParams.get('state') ?? '');
    declined.searchParams.set('error', 'access_denied');
    const res = await back(declined, cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Google did not grant access (access_denied); nothing was connected.');
    const { mailboxes } = (await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken })).body;
    expect(mailboxes).toHaveLength(dialect === 'postgres' ? 2 : 1);
  });
});

describe('Connect Gmail without an OAuth client', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(() => relay.stop());

  it('is not offered, and starting it says what the operator must set', async () => {
    const presets = await call(relay.url, '/api/v1/mailboxes/presets', { token: relay.ownerToken });
    expect(presets.body.gmailConnect).toBe(false);
    const res = await call(relay.url, '/api/v1/mailboxes/gmail/start', {
      method: 'POST',
      token: relay.ownerToken,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^Connect Gmail is not set up on this relay: its operator must set GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET/,
    );
  });
});
