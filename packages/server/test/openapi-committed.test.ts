// Issue 10, part 1: the OpenAPI document is committed (openapi.json at the repository root)
// and `npm test` fails while the server's document differs from it, so every contract change
// is visible in review and clients in other languages can be generated from the file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { formatOpenApiDocument } from '../src/openapi-document.js';

const COMMITTED = fileURLToPath(new URL('../../../openapi.json', import.meta.url));

/** The first line where two texts differ, with a little context, for the failure message. */
function firstDifference(expected: string, actual: string): string {
  const left = expected.split('\n');
  const right = actual.split('\n');
  const line = left.findIndex((text, index) => text !== right[index]);
  const at = line === -1 ? Math.min(left.length, right.length) : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at] ?? '<end>')}, server ${JSON.stringify(right[at] ?? '<end>')}`;
}

describe('the committed openapi.json', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(() => relay.stop());

  it('is exactly what the server serves at /openapi.json', async () => {
    const response = await fetch(`${relay.url}/openapi.json`);
    expect(response.status).toBe(200);
    const served = formatOpenApiDocument(await response.json());
    const committed = readFileSync(COMMITTED, 'utf8');
    if (committed !== served)
      expect.fail(
        `openapi.json differs from the server's document (${firstDifference(committed, served)}): ` +
          'run `npm run openapi` and commit the result',
      );
  });

  it('gives every operation an operationId, unique across the document', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ids = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        expect(op.operationId, `${method.toUpperCase()} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        return op.operationId;
      }),
    );
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
