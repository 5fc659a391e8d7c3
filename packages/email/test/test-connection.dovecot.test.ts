import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testImapConnection } from '../src/diagnostics/test-connection.js';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { freePort } from './support/free-port.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: a connection test names what failed, each failure in its own words, against a
// real dovecot on loopback (plain port, and a TLS port with a per-run self-signed certificate).
// Loopback is private: these tests allow it, as an operator does with MAILBOX_ALLOW_PRIVATE.
const local = { allowPrivate: true } as const;

describe('testImapConnection without a server', () => {
  it('names the host when it does not resolve (.invalid never does)', async () => {
    const result = await testImapConnection(
      { host: 'imap.nowhere.invalid', port: 993, tls: 'implicit', login: 'me' },
      'secret',
      { ...local, timeoutMs: 5000 },
    );
    expect(result.ok).toBe(false);
    expect(result.steps.map((step) => [step.step, step.ok])).toEqual([['dns', false]]);
    expect(result.message).toMatch(/No server is named imap\.nowhere\.invalid: check the spelling/);
  });

  it('says nothing listens on host:port when the port is closed', async () => {
    const port = await freePort();
    const result = await testImapConnection(
      { host: '127.0.0.1', port, tls: 'implicit', login: 'me' },
      'secret',
      { ...local, timeoutMs: 5000 },
    );
    expect(result.steps.map((step) => [step.step, step.ok])).toEqual([
      ['dns', true],
      ['tcp', false],
    ]);
    expect(result.message).toContain(`Nothing is listening on 127.0.0.1:${port} (connection refused)`);
  });
});

describeWithService('dovecot', dovecotAvailable(), () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('passes every step over TLS with the trusted CA and reports the folder', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.tlsPort, tls: 'implicit', login: server.user, folder: 'INBOX' },
      server.password,
      { ...local, caPem: server.caPem },
    );
    expect(result.steps.map((step) => [step.step, step.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['tls', true],
      ['login', true],
      ['folder', true],
    ]);
    expect(result.ok).toBe(true);
    expect(result.steps[2]?.message).toMatch(/^TLS 1\.[23], certificate for 127\.0\.0\.1 .*trusted\.$/);
    expect(result.steps[4]?.message).toMatch(
      /^The folder "INBOX" holds \d+ messages? \(opened read-only\)\.$/,
    );
    expect(result.message).toContain(`${server.user} on 127.0.0.1:${server.tlsPort} works`);
  });

  it('passes over plain IMAP on loopback (tls none)', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.port, tls: 'none', login: server.user },
      server.password,
      local,
    );
    expect(result.ok).toBe(true);
    expect(result.steps[2]?.message).toContain('No TLS (server on this machine)');
  });

  it('names the login and quotes the preset hint when the password is wrong, never the password', async () => {
    const wrong = `wrong-${server.password}`;
    const result = await testImapConnection(
      { host: server.host, port: server.port, tls: 'none', login: server.user, preset: 'fastmail' },
      wrong,
      local,
    );
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toMatchObject({ step: 'login', ok: false });
    expect(result.message).toMatch(
      /^The server refused the login for owner: check the login and the password/,
    );
    expect(result.message).toContain('Fastmail needs an app password');
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('describes an untrusted certificate with its subject and issuer', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.tlsPort, tls: 'implicit', login: server.user },
      server.password,
      local,
    );
    expect(result.steps.map((step) => [step.step, step.ok])).toEqual([
      ['dns', true],
      ['tcp', true],
      ['tls', false],
    ]);
    expect(result.message).toMatch(
      /^The certificate of 127\.0\.0\.1:\d+ \(for 127\.0\.0\.1, issued by 127\.0\.0\.1\) is not signed by an authority the relay trusts \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    expect(result.message).toContain('IMAP_CA_FILE');
  });

  it('names the certificate’s own name when it is for another host', async () => {
    // The per-run certificate names IP:127.0.0.1 only; localhost reaches the same server.
    const result = await testImapConnection(
      { host: 'localhost', port: server.tlsPort, tls: 'implicit', login: server.user },
      server.password,
      { ...local, caPem: server.caPem },
    );
    expect(result.steps.at(-1)).toMatchObject({ step: 'tls', ok: false });
    expect(result.message).toBe(
      `The certificate of localhost:${server.tlsPort} is for IP Address:127.0.0.1, not for localhost: use the server name the certificate names.`,
    );
  });

  it('recognises a plain IMAP port where the settings say TLS', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.port, tls: 'implicit', login: server.user },
      server.password,
      local,
    );
    expect(result.steps.at(-1)).toMatchObject({ step: 'tls', ok: false });
    expect(result.message).toBe(
      `127.0.0.1:${server.port} answered without TLS: it is a plain IMAP port. Choose STARTTLS (or the TLS port, usually 993) instead of TLS on this port.`,
    );
  });

  it('recognises a TLS port where the settings say plain IMAP', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.tlsPort, tls: 'none', login: server.user },
      server.password,
      { ...local, timeoutMs: 1500 },
    );
    expect(result.steps.at(-1)).toMatchObject({ step: 'tls', ok: false });
    expect(result.message).toContain('sent no IMAP greeting within 1.5 s: the port probably expects TLS');
  });

  it('says when a server offers no STARTTLS', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.port, tls: 'starttls', login: server.user },
      server.password,
      local,
    );
    expect(result.steps.at(-1)).toMatchObject({ step: 'tls', ok: false });
    expect(result.message).toContain(`127.0.0.1:${server.port} does not offer STARTTLS`);
  });

  it('names a missing folder and lists the ones that exist', async () => {
    const result = await testImapConnection(
      { host: server.host, port: server.port, tls: 'none', login: server.user, folder: 'Codes' },
      server.password,
      local,
    );
    expect(result.steps.at(-1)).toMatchObject({ step: 'folder', ok: false });
    expect(result.message).toBe(
      'The folder "Codes" does not exist for owner; the account has: INBOX. Check the folder name (usually INBOX).',
    );
  });
});
