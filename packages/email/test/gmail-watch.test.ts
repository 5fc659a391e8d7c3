import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GmailStatus, type RunningConnectors, runEmailWatch, silentLogger } from '@agent-otp/email';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage } from './support/build-message.js';
import { type FakeGoogle, startFakeGoogle } from './support/fake-google.js';

// The Gmail API connector against a stand-in for Google that speaks its JSON: history pages,
// 404 on a stale history id, expiring access tokens, revoked grants.

describeEachDialect('Gmail connector', (dialect) => {
  let google: FakeGoogle;
  let relay: TestRelay;
  let apiKey: string;
  let dataDir: string;
  let connector: RunningConnectors;
  const statuses: GmailStatus[] = [];

  beforeAll(async () => {
    google = await startFakeGoogle({ pageSize: 2 });
    // Short-lived access tokens, so the suite runs across many refreshes.
    google.setAccessTokenTtl(2);
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'gmail-agent' }));
    const { token } = await relay.createSource('email');
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-gmail-'));
    connector = await runEmailWatch({
      url: relay.url,
      token,
      gmail: {
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        refreshToken: google.refreshToken,
        apiRoot: google.gmailUrl,
        tokenUrl: google.tokenUrl,
        pollSeconds: 0.2,
      },
      dataDir,
      lookbackSeconds: 120,
      logger: silentLogger,
      hooks: { onGmailStatus: (status) => statuses.push(status) },
    });
    await eventually(async () => statuses.some((s) => s.state === 'watching'), 10_000);
  });
  afterAll(async () => {
    await connector?.stop();
    await relay?.stop();
    await google?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const mail = (from: string, text: string) => buildMessage({ from, subject: 'Security code', text });

  it('follows history pages and downloads in full only the message that matches', async () => {
    const request = await openEmailRequest(relay, apiKey, '*@bank-gmail.test');
    const before = google.requests().length;
    const noise = [1, 2, 3, 4].map((n) =>
      google.addMessage(mail(`news${n}@shop-gmail.test`, `Your verification code is 90000${n}`)),
    );
    const match = google.addMessage(
      mail('Bank <alerts@bank-gmail.test>', 'Your verification code is 614208'),
    );
    expect(await waitForCode(relay, request)).toBe('614208');

    const calls = google.requests().slice(before);
    const history = calls.filter((c) => c.path.endsWith('/history'));
    expect(history.some((c) => c.query.pageToken)).toBe(true);
    for (const call of history)
      expect(call.query).toMatchObject({ historyTypes: 'messageAdded', labelId: 'INBOX' });
    const raw = calls.filter((c) => c.query.format === 'raw').map((c) => c.path.split('/').at(-1));
    expect(raw).toEqual([match.id]);
    const metadata = calls.filter((c) => c.query.format === 'metadata').map((c) => c.path.split('/').at(-1));
    expect(metadata).toEqual(expect.arrayContaining([...noise.map((m) => m.id), match.id]));
    for (const call of calls.filter((c) => c.query.format === 'metadata'))
      expect(call.query.metadataHeaders).toBe('From,Subject,Date');
  });

  it('resyncs from the inbox when Google answers 404 for a stale history id', async () => {
    const request = await openEmailRequest(relay, apiKey, '*@resync-gmail.test');
    const before = google.requests().length;
    // Same tick: the connector cannot poll in between, so its history id is now stale.
    google.addMessage(mail('codes@resync-gmail.test', 'Your verification code is 730155'));
    google.expireHistory();
    expect(await waitForCode(relay, request)).toBe('730155');
    await eventually(async () => statuses.some((s) => s.state === 'resynced'));
    const calls = google.requests().slice(before);
    const history404 = calls.findIndex((c) => c.path.endsWith('/history'));
    const list = calls.findIndex((c) => c.path.endsWith('/messages'));
    expect(history404).toBeGreaterThanOrEqual(0);
    expect(list).toBeGreaterThan(history404);
    expect(calls[list]?.query).toMatchObject({ labelIds: 'INBOX', q: expect.stringMatching(/^after:\d+$/) });
  });

  it('keeps working while access tokens expire, refreshing them', async () => {
    const request = await openEmailRequest(relay, apiKey, '*@refresh-gmail.test');
    const before = google.requests().length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    google.addMessage(mail('codes@refresh-gmail.test', 'Your verification code is 482019'));
    expect(await waitForCode(relay, request)).toBe('482019');
    const refreshes = google
      .requests()
      .slice(before)
      .filter((c) => c.path === '/token');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps no code or address, and says so plainly when the grant is revoked', async () => {
    const dump = await relay.dumpDatabase();
    const logs = relay.logs.join('\n');
    for (const secret of ['614208', '730155', '482019', 'alerts@bank-gmail.test', google.refreshToken]) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    google.revokeRefreshToken();
    const failing = await eventually(
      async () => statuses.find((s) => s.state === 'failing' && s.permanent),
      15_000,
    );
    expect(failing.state === 'failing' && failing.error).toMatch(/invalid_grant.*email:gmail-auth/);
  });
});
