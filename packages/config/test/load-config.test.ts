// Issue 10 part 4: one configuration, composed from one fragment per package, that the
// server, the CLI and the standalone connectors all parse the same way.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

describe('loadConfig', () => {
  it('gives every fragment its defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.sweepIntervalMs).toBe(1000);
    expect(config.connections.maxWaitsPerCredential).toBe(10);
    expect(config.email.imap).toBeUndefined();
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(config.cli.serverUrl).toBeUndefined();
  });

  it('reads each fragment: core, server, limits, email, telegram, cli', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/agent_otp',
      PORT: '9000',
      MAX_WAITS_PER_CREDENTIAL: '3',
      IMAP_HOST: 'mail.test',
      IMAP_USER: 'me',
      IMAP_PASSWORD: 'secret',
      TELEGRAM_BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz',
      AGENT_OTP_URL: 'http://relay.test:8787',
    });
    expect(config.databaseUrl).toBe('postgres://db/agent_otp');
    expect(config.publicUrl).toBe('http://localhost:9000');
    expect(config.connections.maxWaitsPerCredential).toBe(3);
    expect(config.email.imap).toMatchObject({ host: 'mail.test', port: 993, tls: true });
    expect(config.telegram.botToken).toBe('123456:abcdefghijklmnopqrstuvwxyz');
    expect(config.cli.serverUrl).toBe('http://relay.test:8787');
  });

  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('names every bad value, across fragments, in one error', () => {
    const message = problemsOf({
      PORT: 'eighty',
      LOOKBACK_SECONDS: '-1',
      MAX_WAITS_PER_CREDENTIAL: '0',
      IMAP_PORT: 'imap',
      TELEGRAM_ADMIN_ID: 'me',
    });
    for (const variable of [
      'PORT',
      'LOOKBACK_SECONDS',
      'MAX_WAITS_PER_CREDENTIAL',
      'IMAP_PORT',
      'TELEGRAM_ADMIN_ID',
    ])
      expect(message).toContain(variable);
  });

  it("runs every fragment's cross-checks", () => {
    const message = problemsOf({
      AUDIT_KEY: 'a'.repeat(40),
      AUDIT_KEY_FILE: '/etc/key',
      IMAP_PORT: '993',
      TELEGRAM_ADMIN_ID: '42',
      HEADERS_TIMEOUT_MS: '60000',
    });
    expect(message).toContain('AUDIT_KEY_FILE: set AUDIT_KEY or AUDIT_KEY_FILE, not both');
    expect(message).toContain('IMAP_PORT: is set but IMAP_HOST is not');
    expect(message).toContain('TELEGRAM_ADMIN_ID: is set but TELEGRAM_BOT_TOKEN is not');
    expect(message).toContain('HEADERS_TIMEOUT_MS: must be less than REQUEST_TIMEOUT_MS');
  });

  it("words zod's own checks in English, though zod/mini loads no locale (issue 17)", () => {
    const message = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', IMAP_MAILBOX: 'x'.repeat(513) });
    expect(message).toContain('PORT: Invalid input: expected number, received NaN');
    expect(message).toContain('LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|');
    expect(message).toContain('IMAP_MAILBOX: Too big: expected string to have <=512 characters');
  });

  it('reports a webhook URL that is no URL as a configuration problem, not a crash', () => {
    const message = problemsOf({
      TELEGRAM_BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz',
      TELEGRAM_WEBHOOK_URL: 'not a url',
    });
    expect(message).toContain('TELEGRAM_WEBHOOK_URL: Invalid URL');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(8787);
  });
});
