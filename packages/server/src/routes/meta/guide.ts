import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from 'hono';
import type { AppEnv, ServerServices } from '../../env.js';
import { contentType, fileIn, IMMUTABLE, REVALIDATE } from './static-files.js';

const PREFIX = '/guide';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agent OTP guide</title></head>
<body><h1>The guide is not built</h1><p>Run <code>npm run docs:build</code> in the Agent OTP checkout
(or set GUIDE_DIR); the relay serves it at once, no restart needed. The API reference is at
<a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Besides the site's own files, the guide links to a few repository files that are not pages
 * (`LICENSE`, `deploy/agent-otp.service`, policy YAML examples): shown as text, never run or
 * downloaded (the relay sends `X-Content-Type-Options: nosniff`).
 */
const REPOSITORY_FILE = 'text/plain; charset=utf-8';

/**
 * Serves the built guide (VitePress, `npm run docs:build`) under `/guide/`: files with their
 * types, clean URLs (`/guide/webhooks` is `webhooks.html`, `/guide/packages/sdk` redirects to
 * `/guide/packages/sdk/` so its relative links resolve), hashed assets cached for good, and the
 * site's own 404 page with status 404 for a page that does not exist. Returns undefined for
 * paths it does not own (and for a missing hashed asset), so the caller answers with the JSON
 * 404.
 *
 * @example
 * app.notFound(async (c) => (await guide(c)) ?? errorResponse(c, 'NOT_FOUND', '…'));
 */
export function guideHandler(services: ServerServices) {
  const root = resolve(services.web.guideDir);
  return async (c: Context<AppEnv>): Promise<Response | undefined> => {
    const { method, path } = c.req;
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return undefined;
    const home = await fileIn(root, '/index.html');
    if (!home) return c.html(NOT_BUILT, 503, { 'cache-control': REVALIDATE });
    const query = new URL(c.req.url).search;
    // The site's links are relative to `/guide/`: without the slash they would miss it.
    if (path === PREFIX) return c.redirect(`${PREFIX}/${query}`, 301);

    const rest = path.slice(PREFIX.length);
    const file = rest.endsWith('/')
      ? await fileIn(root, `${rest}index.html`)
      : ((await fileIn(root, rest)) ?? (await fileIn(root, `${rest}.html`)));
    if (file) {
      const cache = rest.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
      return c.body(await readFile(file), 200, {
        'content-type': contentType(file, REPOSITORY_FILE),
        'cache-control': cache,
      });
    }
    if (!rest.endsWith('/') && (await fileIn(root, `${rest}/index.html`))) {
      return c.redirect(`${path}/${query}`, 301);
    }
    // A missing hashed asset is a stale page asking for an old build: a JSON 404, not a page.
    if (rest.startsWith('/assets/')) return undefined;
    const notFound = await fileIn(root, '/404.html');
    if (!notFound) return undefined;
    return c.body(await readFile(notFound), 404, {
      'content-type': contentType(notFound, REPOSITORY_FILE),
      'cache-control': REVALIDATE,
    });
  };
}
