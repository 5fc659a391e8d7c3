import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Context } from 'hono';
import type { AppEnv, ServerServices } from '../../env.js';
import { contentType, fileIn, IMMUTABLE, REVALIDATE } from './static-files.js';

/**
 * Paths the dashboard never answers, so it cannot shadow the API, the bot's webhook, an
 * operational endpoint or the guide: a probe or scraper gets a JSON 404, never the app's HTML
 * (`/metrics` when METRICS_ENABLED is off).
 */
const RESERVED_PREFIXES = [
  '/api',
  '/docs',
  '/guide',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
  '/telegram',
];

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agent OTP</title></head>
<body><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> in the Agent OTP checkout
(or set DASHBOARD_DIR) and restart <code>agent-otp serve</code>. The API is at <a href="/docs">/docs</a>.</p></body></html>`;

export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built dashboard for every GET that no API route answered: its files with the
 * right types and caching, and `index.html` for any other page path (the app routes in the
 * browser, so `/approvals/otp_…` from an `approvalUrl` opens that request). Returns
 * undefined for paths it does not own, so the caller answers with the JSON 404.
 *
 * @example
 * app.notFound(async (c) => (await dashboard(c)) ?? errorResponse(c, 'NOT_FOUND', '…'));
 */
export function dashboardHandler(services: ServerServices) {
  const root = resolve(services.web.dashboardDir);
  return async (c: Context<AppEnv>): Promise<Response | undefined> => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || isReservedPath(c.req.path)) return undefined;
    const file = c.req.path === '/' ? undefined : await fileIn(root, c.req.path);
    if (file) {
      const type = contentType(file, 'application/octet-stream');
      const cache = c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
      return c.body(await readFile(file), 200, { 'content-type': type, 'cache-control': cache });
    }
    // A missing hashed asset is a stale page asking for an old build: a 404, not the app shell.
    if (c.req.path.startsWith('/assets/')) return undefined;
    const index = await readFile(join(root, 'index.html')).catch(() => undefined);
    if (!index) return c.html(NOT_BUILT, 503, { 'cache-control': REVALIDATE });
    return c.body(index, 200, {
      'content-type': contentType('index.html', 'text/html'),
      'cache-control': REVALIDATE,
    });
  };
}
