// Issue 17 (a documentation site): the relay serves the built guide at /guide. A fixture build
// here (the real VitePress build is checked in a browser: apps/cli/test/guide-site.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

const HOME = '<!doctype html><title>guide home</title>';
const WEBHOOKS = '<!doctype html><title>guide webhooks</title>';
const SDK = '<!doctype html><title>guide sdk</title>';
const NOT_FOUND_PAGE = '<!doctype html><title>guide 404</title>';
const DASHBOARD = '<!doctype html><title>dashboard shell</title>';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
}

/** One GET without following redirects, so a test sees the 301 itself. */
async function getManual(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

// Serving files touches no storage, so one dialect is enough here.
describe('the relay serves the built guide at /guide', () => {
  let relay: TestRelay;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otp-guide-'));
    writeTree(join(dir, 'guide'), {
      'index.html': HOME,
      'webhooks.html': WEBHOOKS,
      'packages/sdk/index.html': SDK,
      '404.html': NOT_FOUND_PAGE,
      'assets/app.1a2b3c.js': 'console.log("guide")',
      'assets/style.1a2b3c.css': 'body{}',
      'examples/seed-policies.yaml': 'rules: []',
      LICENSE: 'MIT License',
    });
    writeTree(join(dir, 'dashboard'), { 'index.html': DASHBOARD });
    writeFileSync(join(dir, 'outside.txt'), 'outside the guide');
    relay = await startTestRelay('sqlite', {
      env: { GUIDE_DIR: join(dir, 'guide'), DASHBOARD_DIR: join(dir, 'dashboard') },
    });
  });
  afterAll(async () => {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /guide to /guide/ (keeping the query), where the home page answers', async () => {
    const bare = await getManual(`${relay.url}/guide?q=1`);
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/guide/?q=1');
    const home = await call(relay.url, '/guide/');
    expect(home.status).toBe(200);
    expect(home.body).toBe(HOME);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers clean URLs with their .html page, and a folder page after a redirect to its slash', async () => {
    for (const path of ['/guide/webhooks', '/guide/webhooks.html']) {
      const res = await call(relay.url, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe(WEBHOOKS);
    }
    const folder = await getManual(`${relay.url}/guide/packages/sdk`);
    expect(folder.status).toBe(301);
    expect(folder.headers.get('location')).toBe('/guide/packages/sdk/');
    expect((await call(relay.url, '/guide/packages/sdk/')).body).toBe(SDK);
  });

  it('serves hashed assets cached for good and repository files as plain text', async () => {
    const js = await call(relay.url, '/guide/assets/app.1a2b3c.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await call(relay.url, '/guide/assets/style.1a2b3c.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const [path, body] of [
      ['/guide/examples/seed-policies.yaml', 'rules: []'],
      ['/guide/LICENSE', 'MIT License'],
    ] as const) {
      const res = await call(relay.url, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe(body);
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it("answers an unknown page with the site's 404 page and status 404, a missing asset with the JSON 404", async () => {
    const page = await call(relay.url, '/guide/no-such-page');
    expect(page.status).toBe(404);
    expect(page.body).toBe(NOT_FOUND_PAGE);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const asset = await call(relay.url, '/guide/assets/old-build.js');
    expect(asset.status).toBe(404);
    expect(asset.body.error.code).toBe('NOT_FOUND');
  });

  it('never answers /guide with the dashboard, nor a write method', async () => {
    expect((await call(relay.url, '/guide/no-such-page')).body).not.toBe(DASHBOARD);
    const post = await call(relay.url, '/guide/', { method: 'POST', json: {} });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('NOT_FOUND');
    // The dashboard still answers its own paths.
    expect((await call(relay.url, '/agents')).body).toBe(DASHBOARD);
  });

  it('never serves a file outside its directory', async () => {
    for (const path of [
      '/guide/..%2foutside.txt',
      '/guide/%2e%2e/outside.txt',
      '/guide/assets/..%2f..%2foutside.txt',
      '/guide/..%2f..%2fguide-static.test.ts',
      '/guide/%00',
    ]) {
      const res = await call(relay.url, path);
      // `%2e%2e` is resolved by fetch itself (to `/outside.txt`, a dashboard path): no status check.
      expect(String(res.body), path).not.toContain('outside the guide');
    }
  });
});

describe('without a built guide', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite', { env: { GUIDE_DIR: join(tmpdir(), 'agent-otp-no-such-guide') } });
  });
  afterAll(() => relay.stop());

  it('answers 503 saying how to build it, and the API reference still works', async () => {
    for (const path of ['/guide', '/guide/', '/guide/webhooks']) {
      const res = await call(relay.url, path);
      expect(res.status, path).toBe(503);
      expect(String(res.body), path).toContain('npm run docs:build');
    }
    expect((await call(relay.url, '/docs')).status).toBe(200);
  });
});
