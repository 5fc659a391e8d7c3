import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

describe('buildMessage', () => {
  it('builds multipart/alternative that parses back to the same text, html and non-ASCII subject', async () => {
    const raw = buildMessage({
      from: 'Bänk <no-reply@bank.example>',
      subject: 'Ihr Code: 482913',
      text: 'Ihr Bestätigungscode lautet 482913.',
      html: '<p>Code <b>482913</b></p>',
      date: new Date('2025-01-02T03:04:05Z'),
    });
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Ihr Code: 482913');
    expect(parsed.from?.value[0]).toEqual({ name: 'Bänk', address: 'no-reply@bank.example' });
    expect(parsed.text?.trim()).toBe('Ihr Bestätigungscode lautet 482913.');
    expect(parsed.html).toContain('<b>482913</b>');
    expect(parsed.date?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(parsed.messageId).toMatch(/@agent-otp\.test>$/);
  });

  it('builds a single text part without a multipart wrapper', () => {
    const raw = buildMessage({ from: 'a@b.example', subject: 'Hi', text: 'line 1\nline 2' });
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8\r\n');
    expect(raw).not.toContain('multipart');
    expect(raw).toContain('line 1\r\nline 2');
  });
});

describe('describeWithService', () => {
  it('fails instead of skipping when AGENT_OTP_REQUIRE_SERVICES=1 and the service is missing', () => {
    vi.stubEnv('AGENT_OTP_REQUIRE_SERVICES', '1');
    try {
      expect(() => describeWithService('imaginary-service', false, () => {})).toThrow(
        /imaginary-service is not installed/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describeWithService('dovecot', dovecotAvailable(), () => {
  let server: DovecotServer;
  const clients: ImapFlow[] = [];

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  /** A client like the connector's: plain port unless told otherwise, no retries, no logs. */
  function client(options: Partial<ImapFlowOptions> = {}): ImapFlow {
    const imap = new ImapFlow({
      host: server.host,
      port: server.port,
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
      ...options,
    });
    clients.push(imap);
    return imap;
  }

  const sample = (subject: string) =>
    buildMessage({ from: 'no-reply@shop.example', subject, text: `${subject} body` });

  it('logs the test user in and rejects a wrong password', async () => {
    const ok = client();
    await ok.connect();
    expect(ok.authenticated).toBeTruthy();
    await ok.logout();

    const bad = client({ auth: { user: server.user, pass: 'wrong' } });
    await expect(bad.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it('pushes an APPEND from another connection to an idling client within 2 s', async () => {
    const watcher = client();
    await watcher.connect();
    await watcher.mailboxOpen('INBOX', { readOnly: true });
    const idleEnded = watcher.idle(); // resolves when IDLE is broken, i.e. at logout
    await until(() => watcher.idling, 2000, 'IDLE to start');

    const exists = new Promise<number>((resolve) => watcher.once('exists', () => resolve(Date.now())));
    const appendedAt = Date.now();
    await server.appendMessage(sample('idle push'));
    const notifiedAt = await withTimeout(exists, 5000, 'the exists event');

    const latency = notifiedAt - appendedAt;
    console.info(`append → IDLE exists latency: ${latency} ms`);
    expect(latency).toBeLessThan(2000);
    await watcher.logout();
    await idleEnded;
  });

  it('leaves appended messages unread, also after the harness has read their flags', async () => {
    const uid = await server.appendMessage(sample('unread'));
    expect(await server.flags(uid)).not.toContain('\\Seen');
    expect(await server.flags(uid)).not.toContain('\\Seen');
  });

  it('appends to another mailbox, creating it on first use', async () => {
    const first = await server.appendMessage(sample('archived 1'), 'Archive');
    const second = await server.appendMessage(sample('archived 2'), 'Archive');
    expect(second).toBeGreaterThan(first);
    expect(await server.flags(second, 'Archive')).not.toContain('\\Seen');
  });

  it('verifies IMAPS by default: the per-run CA is accepted, an untrusted self-signed certificate is not', async () => {
    const trusted = client({ port: server.tlsPort, secure: true, tls: { ca: [server.caPem] } });
    await trusted.connect();
    expect(trusted.secureConnection).toBe(true);
    await trusted.logout();

    const untrusted = client({ port: server.tlsPort, secure: true });
    await expect(untrusted.connect()).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('drops clients on stop and comes back on the same ports with the same mail and UIDVALIDITY', async () => {
    const before = await server.appendMessage(sample('before restart'));
    const watcher = client();
    await watcher.connect();
    const opened = await watcher.mailboxOpen('INBOX', { readOnly: true });
    const closed = new Promise<void>((resolve) => watcher.once('close', () => resolve()));
    watcher.on('error', () => {}); // a dropped socket may also surface as 'error'; 'close' is what we assert

    await server.stop();
    await withTimeout(closed, 5000, 'the client to see the connection close');
    await expect(client().connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server.start();
    const after = await server.appendMessage(sample('after restart'));
    expect(after).toBeGreaterThan(before);

    const reconnected = client();
    await reconnected.connect();
    const reopened = await reconnected.mailboxOpen('INBOX', { readOnly: true });
    expect(reopened.uidValidity).toBe(opened.uidValidity);
    const uids: number[] = [];
    for await (const message of reconnected.fetch('1:*', { uid: true })) uids.push(message.uid);
    expect(uids).toEqual(expect.arrayContaining([before, after]));
    await reconnected.logout();
  });
});

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
