// Issue 17, "The HTTP contract": every operation of the served document is described, takes
// a declared credential, lists the errors it can give with a real example each, and has an
// example on every request body, response and parameter; the examples' messages are what the
// server sends; the version is the package's and the introduction reaches the guide.
// (Redocly validates every example against its schema: openapi-lint.test.ts.)
import { readFileSync } from 'node:fs';
import {
  CREATE_OTP_REQUEST_EXAMPLE,
  ERROR_CODES,
  type ErrorCode,
  EXAMPLE_IDS,
  httpStatusForError,
} from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallResult, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Schema {
  $ref?: string;
  example?: unknown;
  examples?: unknown[];
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; example?: unknown; schema?: Schema }>;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  info: { version: string; description: string; license?: { name: string } };
  servers?: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const ROOT_PACKAGE = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('the HTTP contract in /openapi.json', () => {
  let relay: TestRelay;
  let doc: OpenApiDocument;
  let operations: Array<{ where: string; op: Operation }>;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
    doc = (await call<OpenApiDocument>(relay.url, '/openapi.json')).body;
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
    );
  });
  afterAll(() => relay.stop());

  /** A schema or media type carries an example itself or through the component it names. */
  function hasExample(holder: MediaType | Schema | undefined): boolean {
    if (!holder) return false;
    if (holder.example !== undefined) return true;
    if (holder.examples && Object.keys(holder.examples).length > 0) return true;
    const schema = 'schema' in holder ? holder.schema : undefined;
    if (schema) return hasExample(schema);
    const ref = (holder as Schema).$ref;
    return ref ? hasExample(doc.components.schemas[ref.split('/').at(-1) ?? '']) : false;
  }

  it('has the root package’s version, the MIT license and the relative / server', () => {
    expect(doc.info.version).toBe(ROOT_PACKAGE.version);
    expect(doc.info.license?.name).toBe('MIT');
    expect(doc.servers).toEqual([{ url: '/', description: expect.stringContaining('PUBLIC_URL') }]);
  });

  it('opens with an introduction: the credentials, how to get them, errors, rate limits, the guide', () => {
    const intro = doc.info.description;
    for (const needed of [
      'ak_live_',
      'os_',
      'cs_',
      'x-csrf-token',
      'npx agent-otp agent:create',
      'npx agent-otp source:create',
      '"error": { "code"',
      'Retry-After',
      '429 RATE_LIMITED',
      '](/guide/',
    ])
      expect(intro, needed).toContain(needed);
  });

  it('gives every operation a camelCase operationId, a summary and a description', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary?.length, where).toBeGreaterThan(10);
      expect(op.description?.length, where).toBeGreaterThan(20);
    }
  });

  it('lists owner routes under both the owner token and the session cookie, public routes under none', () => {
    const security = (where: string) => operations.find((o) => o.where === where)?.op.security;
    expect(security('POST /api/v1/requests/{id}/approve')).toEqual([
      { ownerToken: [] },
      { sessionCookie: [] },
    ]);
    expect(security('POST /api/v1/session')).toEqual([]);
    expect(security('POST /api/v1/otp')).toEqual([{ agentKey: [] }]);
    for (const { where, op } of operations) {
      expect(op.security, where).toBeDefined();
      if (op.security?.some((s) => 'ownerToken' in s))
        expect(op.security, where).toEqual([{ ownerToken: [] }, { sessionCookie: [] }]);
    }
  });

  it('has an example on every request body, every response and every parameter', () => {
    const missing: string[] = [];
    for (const { where, op } of operations) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        if (!hasExample(media)) missing.push(`${where} request body ${type}`);
      for (const [status, response] of Object.entries(op.responses))
        for (const [type, media] of Object.entries(response.content ?? {}))
          if (!hasExample(media)) missing.push(`${where} ${status} ${type}`);
      for (const parameter of op.parameters ?? [])
        if (parameter.example === undefined && !hasExample(parameter.schema))
          missing.push(`${where} parameter ${parameter.in}.${parameter.name}`);
    }
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('gives each error status one example per code it stands for, in the one error shape', () => {
    for (const { where, op } of operations) {
      const statuses = Object.keys(op.responses).filter((status) => Number(status) >= 400);
      expect(statuses, `${where} lists no error`).not.toEqual([]);
      for (const status of statuses) {
        const media = op.responses[status]?.content?.['application/json'];
        const examples = Object.entries(media?.examples ?? {});
        expect(examples.length, `${where} ${status}`).toBeGreaterThan(0);
        for (const [name, { value }] of examples) {
          const { error } = value as { error: { code: ErrorCode; message: string; requestId: string } };
          expect(ERROR_CODES, `${where} ${status} ${name}`).toContain(error.code);
          expect(name).toBe(error.code);
          expect(httpStatusForError(error.code), `${where} ${name}`).toBe(Number(status));
          expect(error.message.length, `${where} ${name}`).toBeGreaterThan(5);
          expect(op.responses[status]?.description, `${where} ${status}`).toContain(`\`${error.code}\``);
        }
      }
    }
  });

  it('lists the errors a credential, a method and an input imply, and no others', () => {
    const codes = (where: string) => {
      const op = operations.find((o) => o.where === where)?.op;
      return Object.values(op?.responses ?? {}).flatMap((r) =>
        Object.keys(r.content?.['application/json']?.examples ?? {}),
      );
    };
    // A GET reads no body: no 413, 415 or MALFORMED_JSON; an agent key is no session: no CSRF.
    for (const absent of ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'MALFORMED_JSON', 'CSRF_REJECTED'])
      expect(codes('GET /api/v1/otp/{id}'), absent).not.toContain(absent);
    expect(codes('POST /api/v1/otp')).not.toContain('CSRF_REJECTED');
    // A state-changing owner route may be refused for a missing CSRF header; reading is not.
    expect(codes('POST /api/v1/requests/{id}/approve')).toContain('CSRF_REJECTED');
    expect(codes('GET /api/v1/requests/{id}')).not.toContain('CSRF_REJECTED');
    // A public route has no credential to refuse, but the connection cap still applies.
    expect(codes('GET /api/v1/setup')).not.toContain('UNAUTHORIZED');
    expect(codes('GET /api/v1/setup')).toEqual(
      expect.arrayContaining(['RATE_LIMITED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE']),
    );
    // A route without a path parameter, query or body has nothing to validate.
    expect(codes('GET /api/v1/agents')).not.toContain('VALIDATION_ERROR');
    expect(codes('POST /api/v1/otp/{id}/consume')).toEqual(
      expect.arrayContaining(['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND', 'OTP_ALREADY_CONSUMED']),
    );
  });

  /** The document's example message of `code` on one operation. */
  function exampleMessage(where: string, code: ErrorCode): string | undefined {
    const op = operations.find((o) => o.where === where)?.op;
    const media = op?.responses[String(httpStatusForError(code))]?.content?.['application/json'];
    return (media?.examples?.[code]?.value as { error: { message: string } } | undefined)?.error.message;
  }

  it('shows the messages the server really sends for the errors a credential and an input imply', async () => {
    const agent = await relay.createAgent();
    const otp = 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
    const cases: Array<{ where: string; code: ErrorCode; send: () => Promise<CallResult> }> = [
      {
        where: 'GET /api/v1/otp/{id}',
        code: 'UNAUTHORIZED',
        send: () => call(relay.url, `/api/v1/otp/${otp}`, { token: `ak_live_${'A'.repeat(43)}` }),
      },
      {
        where: 'GET /api/v1/otp/{id}',
        code: 'VALIDATION_ERROR',
        send: () => call(relay.url, '/api/v1/otp/not-an-id', { token: agent.apiKey }),
      },
      {
        where: 'GET /api/v1/otp/{id}',
        code: 'NOT_FOUND',
        send: () => call(relay.url, `/api/v1/otp/${otp}`, { token: agent.apiKey }),
      },
      {
        where: 'POST /api/v1/otp',
        code: 'VALIDATION_ERROR',
        send: () =>
          call(relay.url, '/api/v1/otp', {
            token: agent.apiKey,
            json: { ...CREATE_OTP_REQUEST_EXAMPLE, ttl: 10 },
          }),
      },
      {
        where: 'POST /api/v1/permissions/{id}/verify',
        code: 'VALIDATION_ERROR',
        send: () =>
          call(relay.url, `/api/v1/permissions/${EXAMPLE_IDS.permission}/verify`, {
            token: agent.apiKey,
            json: [],
          }),
      },
      {
        where: 'POST /api/v1/otp',
        code: 'MALFORMED_JSON',
        send: () =>
          call(relay.url, '/api/v1/otp', {
            token: agent.apiKey,
            raw: '{"reason":',
            headers: { 'content-type': 'application/json' },
          }),
      },
      {
        where: 'POST /api/v1/otp',
        code: 'UNSUPPORTED_MEDIA_TYPE',
        send: () =>
          call(relay.url, '/api/v1/otp', {
            token: agent.apiKey,
            raw: 'reason=sign up',
            headers: { 'content-type': 'text/plain' },
          }),
      },
      {
        where: 'POST /api/v1/otp',
        code: 'PAYLOAD_TOO_LARGE',
        send: () =>
          call(relay.url, '/api/v1/otp', { token: agent.apiKey, json: { reason: 'x'.repeat(70_000) } }),
      },
      {
        where: 'GET /api/v1/audit',
        code: 'VALIDATION_ERROR',
        send: () => call(relay.url, '/api/v1/audit?limit=500', { token: relay.ownerToken }),
      },
      {
        where: 'GET /api/v1/requests',
        code: 'UNAUTHORIZED',
        send: () => call(relay.url, '/api/v1/requests', { token: `os_${'A'.repeat(43)}` }),
      },
      {
        where: 'POST /api/v1/session',
        code: 'UNAUTHORIZED',
        send: () =>
          call(relay.url, '/api/v1/session', {
            json: { email: 'nobody@example.com', password: 'not the password' },
          }),
      },
    ];
    for (const { where, code, send } of cases) {
      const { status, body } = await send();
      expect({ where, status, code: body.error?.code }).toEqual({
        where,
        status: httpStatusForError(code),
        code,
      });
      expect(body.error.message, `${where} ${code}`).toBe(exampleMessage(where, code));
    }
  });
});
