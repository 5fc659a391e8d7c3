// Issue 17, "The HTTP contract": Redocly's recommended ruleset (redocly.yaml at the root, no
// ignore file, no rule switched off) reports nothing on the document the server serves. The
// installed CLI runs here, offline, so `npm test` fails on any problem and prints them all.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { formatOpenApiDocument } from '../src/openapi-document.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: Array<{ pointer: string }>;
}
interface RedoclyReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: RedoclyProblem[];
}

/** Runs `redocly lint --format=json` with the repository's config; a failing lint exits 1 but still reports. */
async function lint(file: string): Promise<RedoclyReport> {
  const run = promisify(execFile);
  const args = ['lint', '--format=json', '--config', join(ROOT, 'redocly.yaml'), file];
  // No telemetry or update check: the test runs offline.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const output = await run(REDOCLY, args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw new Error(`redocly did not run: ${error.stderr ?? String(error)}`);
      return { stdout: error.stdout };
    },
  );
  return JSON.parse(output.stdout) as RedoclyReport;
}

describe('the OpenAPI document under Redocly’s recommended rules', () => {
  let relay: TestRelay;
  let dir: string;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  });
  afterAll(async () => {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports 0 errors and 0 warnings, with nothing ignored', async () => {
    const response = await fetch(`${relay.url}/openapi.json`);
    expect(response.status).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, formatOpenApiDocument(await response.json()));
    const report = await lint(file);
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`,
    );
    expect(problems, problems.join('\n')).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  }, 60_000);

  it('fails on a problem (the check is live): a document without servers is an error', async () => {
    const response = await fetch(`${relay.url}/openapi.json`);
    const { servers: _servers, ...withoutServers } = (await response.json()) as Record<string, unknown>;
    const file = join(dir, 'no-servers.json');
    writeFileSync(file, formatOpenApiDocument(withoutServers));
    const report = await lint(file);
    expect(report.problems.map((p) => p.ruleId)).toContain('no-empty-servers');
    expect(report.totals.errors).toBeGreaterThan(0);
  }, 60_000);

  it('checks every example against its schema: a wrong error example is an error', async () => {
    const response = await fetch(`${relay.url}/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              {
                content: Record<string, { examples: Record<string, { value: { error: { code: string } } }> }>;
              }
            >;
          }
        >
      >;
    };
    const notFound = document.paths['/api/v1/otp/{id}']?.get?.responses['404']?.content['application/json'];
    const example = notFound?.examples.NOT_FOUND;
    if (!example) throw new Error('GET /api/v1/otp/{id} has no NOT_FOUND example');
    example.value.error.code = 'NO_SUCH_CODE';
    const file = join(dir, 'wrong-example.json');
    writeFileSync(file, formatOpenApiDocument(document));
    const report = await lint(file);
    expect(report.problems.map((p) => p.ruleId)).toContain('no-invalid-media-type-examples');
    expect(report.totals.errors).toBeGreaterThan(0);
  }, 60_000);
});
