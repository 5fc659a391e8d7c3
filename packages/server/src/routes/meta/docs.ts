import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { plainRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent OTP API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

// A file rather than an inline script, so the page runs under the strict script-src 'self' CSP.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true });`;

// A Map, not an object literal: a request for `__proto__` or `toString` must find nothing.
const ASSETS = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

/** `/docs`: the OpenAPI reference page, served from the local swagger-ui-dist package (no CDN). */
export function registerDocs(app: Router, services: ServerServices) {
  const page = (path: string) => ({ method: 'get', path, credential: 'public' }) as const;
  plainRoute(app, services, page('/docs'), (c) => c.html(PAGE));
  plainRoute(app, services, page('/docs/init.js'), (c) =>
    c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  plainRoute(app, services, page('/docs/assets/:file'), async (c) => {
    const file = c.req.param('file') ?? '';
    const type = ASSETS.get(file);
    if (!type) return c.notFound();
    const body = await readFile(join(swaggerDir, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
