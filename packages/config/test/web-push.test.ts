// Issue 15 (Web Push): the VAPID key comes from one place, is a P-256 private key, and the
// subject push services see defaults to PUBLIC_URL (https) or a mailto at the relay's host.
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/index.js';

const KEY = 'wjVHgPSKIj0TOlSKhr3VWOYxsmnrZiMLwMkDiYZkIvE';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('VAPID settings', () => {
  it('defaults the subject from PUBLIC_URL and allows no private endpoints', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://otp.example.com/' }).webPush).toMatchObject({
      subject: 'https://otp.example.com',
      allowPrivate: false,
      privateKey: undefined,
    });
    expect(loadConfig({ PUBLIC_URL: 'http://relay.lan:8787' }).webPush.subject).toBe(
      'mailto:agent-otp@relay.lan',
    );
    expect(loadConfig({ VAPID_SUBJECT: 'mailto:ops@example.com' }).webPush.subject).toBe(
      'mailto:ops@example.com',
    );
  });

  it('refuses a malformed key, a bad subject, and a key from two places', () => {
    expect(problemsOf({ VAPID_PRIVATE_KEY: 'short' })).toMatch(/VAPID_PRIVATE_KEY.*32 bytes/);
    expect(problemsOf({ VAPID_SUBJECT: 'http://example.com' })).toMatch(/VAPID_SUBJECT.*mailto/);
    expect(problemsOf({ VAPID_PRIVATE_KEY: KEY, VAPID_PRIVATE_KEY_FILE: '/run/secrets/vapid' })).toMatch(
      /not both/,
    );
  });

  it('masks the private key in config:check', () => {
    const report = describeConfig({ flags: {}, env: { VAPID_PRIVATE_KEY: KEY }, dotenv: {} });
    expect(report.config.webPush.privateKey).toBe(KEY);
    expect(report.entries.find((e) => e.name === 'VAPID_PRIVATE_KEY')).toMatchObject({ secret: true });
    expect(JSON.stringify(report.entries)).not.toContain(KEY);
  });
});
