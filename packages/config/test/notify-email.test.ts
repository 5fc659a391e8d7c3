// Issue 15 (owner notification email): SMTP_URL and SMTP_FROM are parsed once, checked
// together, and the URL's password never shows in `config:check`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/index.js';

const SMTP_URL = 'smtp://relay:s3cret-pass@mail.example.com:587';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('SMTP_URL and SMTP_FROM', () => {
  it('leaves email off when SMTP is not configured', () => {
    expect(loadConfig({}).notifyEmail).toBeUndefined();
  });

  it('parses smtp:// and smtps:// URLs with a From address', () => {
    expect(loadConfig({ SMTP_URL, SMTP_FROM: 'Agent OTP <otp@example.com>' }).notifyEmail).toEqual({
      smtpUrl: SMTP_URL,
      from: 'Agent OTP <otp@example.com>',
    });
    const secure = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', SMTP_FROM: 'otp@example.com' });
    expect(secure.notifyEmail?.smtpUrl).toBe('smtps://u:p@mail.example.com:465');
  });

  it('refuses an SMTP_URL without SMTP_FROM, a From without a server, and other schemes', () => {
    expect(problemsOf({ SMTP_URL })).toContain('SMTP_FROM: is required when SMTP_URL is set');
    expect(problemsOf({ SMTP_FROM: 'otp@example.com' })).toContain('SMTP_FROM: is set but SMTP_URL is not');
    expect(problemsOf({ SMTP_URL: 'http://mail.example.com', SMTP_FROM: 'otp@example.com' })).toContain(
      'SMTP_URL: must be an smtp:// or smtps:// URL',
    );
    expect(problemsOf({ SMTP_URL, SMTP_FROM: 'not an address' })).toContain(
      'SMTP_FROM: must be an address, or Name <address>',
    );
    expect(problemsOf({ SMTP_URL, SMTP_FROM: 'a@b.example\r\nBcc: x@y.example' })).toContain('SMTP_FROM');
  });

  it('reads SMTP_URL from SMTP_URL_FILE and masks it in config:check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-url-'));
    const file = join(dir, 'smtp_url');
    writeFileSync(file, `${SMTP_URL}\n`);
    const report = describeConfig({
      flags: {},
      env: { SMTP_URL_FILE: file, SMTP_FROM: 'otp@example.com' },
      dotenv: {},
    });
    expect(report.config.notifyEmail?.smtpUrl).toBe(SMTP_URL);
    const entry = report.entries.find((e) => e.name === 'SMTP_URL');
    expect(entry).toMatchObject({ secret: true });
    expect(JSON.stringify(report.entries)).not.toContain('s3cret-pass');
  });
});
