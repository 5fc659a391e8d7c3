import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

// Serving files touches no storage, so one dialect is enough here.
describe('the relay serves the dashboard at /', () => {
  let relay: TestRelay;
  let dir: string;
  const INDEX =
    '<!doctype html><title>dashboard shell</title><script type="module" src="/assets/app-1a2b.js"></script>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otp-dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log("app")');
    writeFileSync(join(dir, 'assets', 'app-1a2b.css'), 'body{}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(tmpdir(), 'agent-otp-outside.txt'), 'outside');
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: dir } });
  });
  afterAll(async () => {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and every page path with index.html, revalidated, under the strict CSP', async () => {
    for (const path of [
      '/',
      '/approvals/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      '/agents',
      '/sign-in?next=%2Faudit',
    ]) {
      const res = await call(relay.url, path);
      expect(res.status, path).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).not.toContain("unsafe-inline'; script");
    }
  });

  it('serves hashed assets with their types, cached for good', async () => {
    const js = await call(relay.url, '/assets/app-1a2b.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const css = await call(relay.url, '/assets/app-1a2b.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    const icon = await call(relay.url, '/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, not the app shell', async () => {
    const res = await call(relay.url, '/assets/old-build.js');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('never shadows the API, the docs, the OpenAPI document, health or the Telegram webhook', async () => {
    const api = await call(relay.url, '/api/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
    expect((await call(relay.url, '/api')).body.error.code).toBe('NOT_FOUND');
    expect((await call(relay.url, '/openapi.json')).body.openapi).toBe('3.1.0');
    expect((await call(relay.url, '/healthz')).body.status).toBe('ok');
    expect(String((await call(relay.url, '/docs')).body)).toContain('API reference');
    const telegram = await call(relay.url, '/telegram/unknown');
    expect(telegram.body).not.toBe(INDEX);
    const post = await call(relay.url, '/agents', { method: 'POST', json: {} });
    expect(post.status).toBe(404);
  });

  it('never serves a file outside its directory', async () => {
    for (const path of [
      '/..%2fagent-otp-outside.txt',
      '/%2e%2e/agent-otp-outside.txt',
      '/assets/..%2f..%2fagent-otp-outside.txt',
    ]) {
      const res = await call(relay.url, path);
      expect(String(res.body), path).not.toContain('outside');
    }
  });
});

describe('without a built dashboard', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite', {
      env: { DASHBOARD_DIR: join(tmpdir(), 'agent-otp-no-such-dir') },
    });
  });
  afterAll(() => relay.stop());

  it('says how to build it, and the API still works', async () => {
    const res = await call(relay.url, '/');
    expect(res.status).toBe(503);
    expect(String(res.body)).toContain('npm run build');
    expect((await call(relay.url, '/healthz')).status).toBe(200);
  });
});
