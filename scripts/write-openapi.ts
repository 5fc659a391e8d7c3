/**
 * `npm run openapi`: writes the relay's OpenAPI document to `openapi.json` at the
 * repository root, exactly as `/openapi.json` serves it (keys sorted, two-space indents,
 * trailing newline). Commit the result: packages/server/test/openapi-committed.test.ts
 * fails while the committed file and the server disagree, so every contract change shows
 * up in review, and clients in other languages can be generated from the file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatOpenApiDocument } from '../packages/server/src/openapi-document.js';
import { startTestRelay } from '../test-support/relay.js';

const OPENAPI_FILE = fileURLToPath(new URL('../openapi.json', import.meta.url));

const relay = await startTestRelay('sqlite');
try {
  const response = await fetch(`${relay.url}/openapi.json`);
  if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
  writeFileSync(OPENAPI_FILE, formatOpenApiDocument(await response.json()));
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
} finally {
  await relay.stop();
}
