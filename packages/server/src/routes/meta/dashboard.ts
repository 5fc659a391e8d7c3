import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import type { AppEnv, ServerServices } from '../../env.js';

/**
 * Paths the dashboard never answers, so it cannot shadow the API, the bot's webhook or an
 * operational endpoint: a probe or scraper gets a JSON 404, never the app's HTML (`/metrics`
 * when METRICS_ENABLED is off).
 */
const RESERVED_PREFIXES = ['/api', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics', '/telegram'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite puts content-hashed files under /assets/: they never change, so browsers may keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files: always revalidate, so a new build is picked up at once. */
const REVALIDATE = 'no-cache';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agent OTP</title></head>
<body><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> in the Agent OTP checkout
(or set DASHBOARD_DIR) and restart <code>agent-otp serve</code>. The API is at <a href="/docs">/docs</a>.</p></body></html>`;

export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = resolve(root, `.${decoded}`);
  // Never outside the build directory, whatever `..` or encoded separators the path holds.
  if (!candidate.startsWith(`${root}${sep}`)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
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
      const extension = extname(file).toLowerCase();
      // Own keys only: a file named `x.constructor` must not pick up an inherited property.
      const type =
        (Object.hasOwn(CONTENT_TYPES, extension) && CONTENT_TYPES[extension]) || 'application/octet-stream';
      const cache = c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
      return c.body(await readFile(file), 200, { 'content-type': type, 'cache-control': cache });
    }
    // A missing hashed asset is a stale page asking for an old build: a 404, not the app shell.
    if (c.req.path.startsWith('/assets/')) return undefined;
    const index = await readFile(join(root, 'index.html')).catch(() => undefined);
    if (!index) return c.html(NOT_BUILT, 503, { 'cache-control': REVALIDATE });
    return c.body(index, 200, {
      'content-type': CONTENT_TYPES['.html'] ?? 'text/html',
      'cache-control': REVALIDATE,
    });
  };
}
