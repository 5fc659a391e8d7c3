import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GMAIL_READONLY_SCOPE, GoogleAuthError, runGmailAuthFlow } from '@agent-otp/email';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../../../test-support/cli.js';
import { type FakeGoogle, startFakeGoogle } from './support/fake-google.js';

// The OAuth2 desktop flow of `agent-otp email:gmail-auth`, driven the way a browser would:
// open the consent URL, follow Google's redirect to the loopback listener.

let google: FakeGoogle;
beforeEach(async () => {
  google = await startFakeGoogle();
});
afterEach(async () => {
  await google.close();
});

const client = () => ({
  clientId: google.clientId,
  clientSecret: google.clientSecret,
  authUrl: google.authUrl,
  tokenUrl: google.tokenUrl,
});

async function refreshWorks(refreshToken: string): Promise<boolean> {
  const res = await fetch(google.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
    }),
  });
  return res.status === 200;
}

describe('Gmail OAuth2 desktop flow', () => {
  it('asks for read-only offline access with PKCE and a state, and returns a working refresh token', async () => {
    let consent: URL | undefined;
    let browserPage = '';
    const result = await runGmailAuthFlow({
      ...client(),
      onConsentUrl: (url) => {
        consent = new URL(url);
        void fetch(url).then(async (res) => {
          browserPage = await res.text();
        });
      },
    });
    const q = consent?.searchParams;
    expect(q?.get('scope')).toBe(GMAIL_READONLY_SCOPE);
    expect(q?.get('code_challenge_method')).toBe('S256');
    expect(q?.get('access_type')).toBe('offline');
    expect(q?.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(q?.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(result.scope).toBe(GMAIL_READONLY_SCOPE);
    expect(await refreshWorks(result.refreshToken)).toBe(true);
    await expect.poll(() => browserPage).toContain('can now read your Gmail inbox');
  });

  it('refuses a callback with a forged state and still completes the genuine one', async () => {
    let forged: Response | undefined;
    const result = await runGmailAuthFlow({
      ...client(),
      onConsentUrl: (url) => {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
        redirect.search = new URLSearchParams({ state: 'attacker-state', code: '4/0attacker' }).toString();
        void fetch(redirect)
          .then((res) => {
            forged = res;
          })
          .then(() => fetch(url));
      },
    });
    expect(forged?.status).toBe(400);
    expect(await refreshWorks(result.refreshToken)).toBe(true);
  });

  it('fails with a clear error when the user does not consent', async () => {
    const flow = runGmailAuthFlow({
      ...client(),
      onConsentUrl: (url) => {
        const consent = new URL(url);
        const redirect = new URL(consent.searchParams.get('redirect_uri') ?? '');
        redirect.search = new URLSearchParams({
          state: consent.searchParams.get('state') ?? '',
          error: 'access_denied',
        }).toString();
        void fetch(redirect);
      },
    });
    await expect(flow).rejects.toBeInstanceOf(GoogleAuthError);
    await expect(flow).rejects.toThrow(/access_denied/);
  });
});

describe('agent-otp email:gmail-auth', () => {
  function runCli(args: string[], dataDir: string) {
    const child = spawn(process.execPath, [CLI, 'email:gmail-auth', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        GMAIL_CLIENT_ID: google.clientId,
        GMAIL_CLIENT_SECRET: google.clientSecret,
        GOOGLE_AUTH_URL: google.authUrl,
        GOOGLE_TOKEN_URL: google.tokenUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // The "browser": open the printed consent URL once it appears.
      const url = /https?:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+/.exec(stderr)?.[0];
      if (url && !child.killed) void fetch(url).catch(() => undefined);
    });
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, stdout, stderr })),
    );
  }

  it('stores the refresh token in DATA_DIR readable by the owner only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-gmail-auth-'));
    try {
      const run = await runCli([], dataDir);
      expect(run.code, run.stderr).toBe(0);
      const path = join(dataDir, 'gmail-token.json');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const stored = JSON.parse(readFileSync(path, 'utf8'));
      expect(stored).toMatchObject({ clientId: google.clientId, scope: GMAIL_READONLY_SCOPE });
      expect(await refreshWorks(stored.refreshToken)).toBe(true);
      expect(run.stdout + run.stderr).not.toContain(stored.refreshToken);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints the token instead with --print, and rejects a bad --timeout', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-gmail-auth-'));
    try {
      const printed = await runCli(['--print'], dataDir);
      expect(printed.code, printed.stderr).toBe(0);
      expect(await refreshWorks(printed.stdout.trim())).toBe(true);
      const bad = await runCli(['--timeout', 'soon'], dataDir);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--timeout');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
