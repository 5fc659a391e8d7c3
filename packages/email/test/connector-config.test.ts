import { loadConfig } from '@agent-otp/config';
import { describe, expect, it } from 'vitest';
import { startTestRelay } from '../../../test-support/relay.js';

// IMAP_* and GMAIL_* are parsed with the rest of the configuration; bad values name themselves.

describe('mail connector settings', () => {
  it('defaults to verified TLS on 993 and INBOX, 143 without TLS', () => {
    const imap = loadConfig({ IMAP_HOST: 'mail.example', IMAP_USER: 'me', IMAP_PASSWORD: 'pw' }).email.imap;
    expect(imap).toMatchObject({
      host: 'mail.example',
      port: 993,
      tls: true,
      mailbox: 'INBOX',
      idleRestartSeconds: 600,
    });
    const plain = loadConfig({
      IMAP_HOST: 'mail.example',
      IMAP_USER: 'me',
      IMAP_PASSWORD: 'pw',
      IMAP_TLS: 'false',
    });
    expect(plain.email.imap?.port).toBe(143);
    expect(loadConfig({}).email.imap).toBeUndefined();
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => loadConfig({ IMAP_HOST: 'mail.example', IMAP_PASSWORD: 'pw' })).toThrow(/IMAP_USER/);
    expect(() => loadConfig({ IMAP_HOST: 'mail.example', IMAP_USER: 'me' })).toThrow(/IMAP_PASSWORD/);
    expect(() => loadConfig({ IMAP_USER: 'me' })).toThrow(/IMAP_USER: is set but IMAP_HOST is not/);
    expect(() =>
      loadConfig({ IMAP_HOST: 'h', IMAP_USER: 'me', IMAP_PASSWORD: 'p', IMAP_TLS: 'maybe' }),
    ).toThrow(/IMAP_TLS/);
    expect(() =>
      loadConfig({ IMAP_HOST: 'h', IMAP_USER: 'me', IMAP_PASSWORD: 'p', IMAP_PORT: '99999' }),
    ).toThrow(/IMAP_PORT/);
    expect(() => loadConfig({ GMAIL_CLIENT_ID: 'id' })).toThrow(/GMAIL_CLIENT_SECRET/);
    expect(() => loadConfig({ GMAIL_API_ROOT: 'not a url' })).toThrow(/GMAIL_API_ROOT/);
  });

  it('stops serve start-up when IMAP_CA_FILE cannot be read', async () => {
    await expect(
      startTestRelay('sqlite', {
        env: {
          IMAP_HOST: '127.0.0.1',
          IMAP_USER: 'me',
          IMAP_PASSWORD: 'pw',
          IMAP_CA_FILE: '/nonexistent/ca.pem',
        },
      }),
    ).rejects.toThrow(/IMAP_CA_FILE: cannot read \/nonexistent\/ca\.pem/);
  });
});
