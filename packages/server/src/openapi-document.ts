import { createRequire } from 'node:module';
import { CSRF_HEADER, SESSION_COOKIE } from './middleware/session-cookies.js';
import type { Router } from './openapi-app.js';
import { API_INTRODUCTION } from './openapi-introduction.js';

// The server package's own version (from src/ and dist/ alike, `../package.json` is the package's):
// all workspace packages are released together under the root version.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Agent OTP',
    version,
    license: { name: 'MIT', identifier: 'MIT' },
    description: API_INTRODUCTION,
  },
  // Relative, so the committed document is the same for every install and a client resolves
  // paths against the relay it fetched the document from.
  servers: [{ url: '/', description: 'This relay (its PUBLIC_URL)' }],
};

/**
 * Adds the security schemes the route credentials name (see route-credential.ts) to the
 * document's components.
 *
 * @example
 * registerSecuritySchemes(app);
 */
export function registerSecuritySchemes(app: Router): void {
  for (const [name, description] of [
    ['agentKey', 'Agent API key: `Authorization: Bearer ak_live_…` or `ak_test_…`'],
    ['sourceToken', 'Capture-source token: `Authorization: Bearer cs_…`'],
    ['ownerToken', 'Owner credential: `Authorization: Bearer os_…` (minted by the local CLI)'],
  ] as const) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, {
      type: 'http',
      scheme: 'bearer',
      description,
    });
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `Dashboard session (owner routes accept it too); state-changing requests also need the \`${CSRF_HEADER}\` header.`,
  });
}

/**
 * The OpenAPI 3.1 document of every operation registered on `app`.
 *
 * @example
 * const doc = openApiDocument(createApp(services));
 */
export function openApiDocument(app: Router) {
  return app.getOpenAPI31Document(DOCUMENT);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The document as the committed `openapi.json` holds it: keys sorted at every level (so
 * the order routes are registered in never shows up as a diff), two-space indents, and a
 * trailing newline.
 *
 * @example
 * writeFileSync('openapi.json', formatOpenApiDocument(openApiDocument(app)));
 */
export function formatOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}
