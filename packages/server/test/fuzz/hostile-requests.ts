/**
 * Deterministic hostile requests generated from the relay's own OpenAPI document (issue 9,
 * "a bounded fuzz run over every route in /openapi.json"). The same seed gives the same
 * requests, so a failure printed with its seed and index reproduces.
 */

/** mulberry32: a tiny seeded PRNG; statistical quality is irrelevant here, reproducibility is not. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (max: number) => Math.floor(next() * max),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}
export type Random = ReturnType<typeof seededRandom>;

/** The credential a generated request carries. */
export type CredentialKind =
  | 'declared'
  | 'test-key'
  | 'session'
  | 'session-no-csrf'
  | 'none'
  | 'wrong-kind'
  | 'bogus';

export interface FuzzCredentials {
  agentKey: string;
  testAgentKey: string;
  sourceToken: string;
  ownerToken: string;
  session: { cookie: string; csrf: string };
}

/** Real IDs of each prefix, so some requests reach rows that exist. */
export type KnownIds = Record<'otp' | 'prm' | 'agt' | 'src' | 'pol' | 'hld', string[]>;

export interface FuzzRequest {
  /** Operation, credential and mutations: enough to see what was sent. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

interface Operation {
  method: string;
  path: string;
  security: string[];
  query: string[];
  pathParams: string[];
  bodySchema?: JsonSchema;
}

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema walked by hand.
type JsonSchema = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document as JSON.
type OpenApiDocument = Record<string, any>;

const BIG = 'x'.repeat(60_000);
const DEEP_ARRAY = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

/** Values that are the wrong type, size or encoding for almost any field. */
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  2 ** 31,
  0.5,
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'a\ud800b',
  '\udfff',
  '🙂'.repeat(300),
  BIG,
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '{{7*7}} <%= 7*7 %>',
  "' OR 1=1 --",
  '9999-99-99T99:99:99Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  [],
  [null, 1, 'a'],
  Array.from({ length: 2000 }, () => 'sms'),
  {},
  { polluted: true, nested: { deeper: { deepest: ['x'] } } },
  { constructor: { prototype: { polluted: true } } },
  { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
  { kty: 'RSA', n: 'AQAB'.repeat(300), e: 'AAAA' },
];

/** Whole bodies that are not the JSON object any route expects. */
const RAW_BODIES: Array<string | Uint8Array<ArrayBuffer>> = [
  '',
  'null',
  '[]',
  '"text"',
  '123',
  'true',
  '{',
  '{"reason": ',
  '{"a":1}{"b":2}',
  '{"ttl": 1e309}',
  '{"ttl": -0}',
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
  `{"reason": ${DEEP_ARRAY}}`,
  `{"context": {"a": ${DEEP_ARRAY}}}`,
  DEEP_ARRAY,
  '\u0000',
  '{"reason": "\\u0000"}',
  '{"reason": "\\ud800"}',
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]),
  new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/vnd.fuzz+json',
  'application/json\u00ff',
  'APPLICATION/JSON',
  '',
];

const BOGUS_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'Basic YWRtaW46YWRtaW4=',
  'bearer ak_live_short',
  'Bearer ak_live_',
  `Bearer ak_live_${'A'.repeat(4000)}`,
  'Bearer cs_\u00ff\u00fe',
  'Bearer os_../../x',
  'Bearer ak_test_ ak_test_',
  'Token x',
  'Bearer __proto__',
];

const HOSTILE_SEGMENTS = [
  '%00',
  'otp_%00',
  'x'.repeat(3000),
  encodeURIComponent('ü🙂'),
  '..',
  '%2e%2e',
  '%2e%2e%2fpackage.json',
  '__proto__',
  'constructor',
  'toString',
  '%ZZ',
  '%F0%9F',
  '%C0%AF',
  '0',
  '-1',
  '1e309',
  'NaN',
  '%20',
];

const HOSTILE_QUERY_VALUES = [
  '-1',
  '1e30',
  '1e309',
  'NaN',
  'Infinity',
  'abc',
  '',
  '0.5',
  '%00',
  '%ZZ',
  '%F0%9F',
  'x'.repeat(5000),
  '__proto__',
  '9999-99-99',
  '%2B275760-09-13T00%3A00%3A00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '1970-01-01T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '99999999999999999999',
  '2147483648',
  'pending_approval',
  'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
];

/** Long-poll waits the fuzz may send: never a valid positive wait, so nothing holds for seconds. */
const WAIT_VALUES = ['0', '-1', '61', '1e30', 'NaN', 'abc', '0.5', '', '%00'];

function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops++)
    current = doc.components.schemas[String(current.$ref).replace('#/components/schemas/', '')];
  return current;
}

/** Every operation in the document, with what it declares. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries<Record<string, JsonSchema>>(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters: JsonSchema[] = op.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        security: (op.security ?? []).flatMap((entry: JsonSchema) => Object.keys(entry)),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        bodySchema: resolve(doc, op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  return operations;
}

/** A plausible, usually valid value for a schema: examples, enums, minimums. */
function plausible(doc: OpenApiDocument, raw: JsonSchema | undefined, random: Random, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (!schema || depth > 6) return 'x';
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return random.pick(schema.examples);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return random.pick(schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) return plausible(doc, random.pick(branches), random, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [name, child] of Object.entries<JsonSchema>(schema.properties ?? {}))
        if (required.has(name) || random.chance(0.6)) value[name] = plausible(doc, child, random, depth + 1);
      return value;
    }
    case 'array':
      return [plausible(doc, schema.items, random, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? schema.exclusiveMinimum ?? 1;
    case 'boolean':
      return random.chance(0.5);
    case 'string':
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return 'fuzz@example.com';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return {};
  }
}

/** Every path to a value inside a JSON value (objects and arrays), for targeted mutations. */
function pathsOf(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, key];
      out.push(path);
      pathsOf(child, path, out);
    }
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown, remove = false): void {
  let target: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (remove) delete target[last];
  else target[last] = value;
}

function idPrefixFor(path: string, random: Random): keyof KnownIds {
  if (path.includes('/permissions/')) return 'prm';
  if (path.includes('/agents/')) return 'agt';
  if (path.includes('/sources/')) return 'src';
  if (path.includes('/policies/')) return 'pol';
  if (path.includes('/held-messages/')) return 'hld';
  if (path.includes('/requests/') || path.includes('/approvals/'))
    return random.pick(['otp', 'prm'] as const);
  return 'otp';
}

function randomId(prefix: string, random: Random): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return `${prefix}_${Array.from({ length: 26 }, () => random.pick([...alphabet])).join('')}`;
}

interface GenerateOptions {
  doc: OpenApiDocument;
  random: Random;
  credentials: FuzzCredentials;
  ids: KnownIds;
  /** A real agent public key (SPKI base64), so some creates get past key parsing. */
  publicKey: string;
  perCombination: number;
}

function credentialKinds(op: Operation): CredentialKind[] {
  const kinds: CredentialKind[] = ['declared', 'none', 'wrong-kind', 'bogus'];
  if (op.security.includes('agentKey')) kinds.push('test-key');
  if (op.security.includes('ownerToken') || op.security.includes('sessionCookie'))
    kinds.push('session', 'session-no-csrf');
  if (op.security.length === 0) return ['none', 'bogus', 'session'];
  return kinds;
}

function credentialHeaders(
  op: Operation,
  kind: CredentialKind,
  { credentials, random }: GenerateOptions,
): Record<string, string> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookie = (csrf: boolean) => ({
    cookie: credentials.session.cookie,
    ...(csrf ? { 'x-csrf-token': credentials.session.csrf } : {}),
  });
  switch (kind) {
    case 'declared':
      if (op.security.includes('agentKey')) return bearer(credentials.agentKey);
      if (op.security.includes('sourceToken')) return bearer(credentials.sourceToken);
      if (op.security.includes('ownerToken')) return bearer(credentials.ownerToken);
      return cookie(true);
    case 'test-key':
      return bearer(credentials.testAgentKey);
    case 'session':
      return cookie(true);
    case 'session-no-csrf':
      return cookie(false);
    case 'none':
      return {};
    case 'wrong-kind': {
      const all = [credentials.agentKey, credentials.sourceToken, credentials.ownerToken];
      const own = credentialHeaders(op, 'declared', { credentials, random } as GenerateOptions).authorization;
      return bearer(random.pick(all.filter((token) => `Bearer ${token}` !== own)));
    }
    case 'bogus':
      return random.chance(0.3)
        ? { cookie: `agent_otp_session=${'A'.repeat(6000)}; agent_otp_csrf=${'\u00e9'.repeat(20)}` }
        : { authorization: random.pick(BOGUS_AUTHORIZATION) };
  }
}

function mutateBody(
  base: unknown,
  options: GenerateOptions,
): { body: string | Uint8Array<ArrayBuffer>; note: string } {
  const { random } = options;
  const roll = random.next();
  if (roll < 0.2) return { body: random.pick(RAW_BODIES), note: 'raw body' };
  if (base === null || typeof base !== 'object') return { body: JSON.stringify(base), note: 'as is' };
  const value = structuredClone(base) as Record<string, unknown>;
  const paths = pathsOf(value);
  if (roll < 0.3) return { body: JSON.stringify(value), note: 'plausible body' };
  if (roll < 0.45 && paths.length > 0) {
    const path = random.pick(paths);
    setAt(value, path, undefined, true);
    return { body: JSON.stringify(value), note: `without ${path.join('.')}` };
  }
  if (roll < 0.55) {
    const key = random.pick(['extra', '__proto__', 'constructor', 'a\u0000', 'toString']);
    const raw = JSON.stringify(value).replace(
      /^\{/,
      `{${JSON.stringify(key)}: ${JSON.stringify(random.pick(HOSTILE_VALUES))},`,
    );
    return { body: raw.replace(/,\}$/, '}'), note: `extra key ${JSON.stringify(key)}` };
  }
  const path =
    paths.length > 0 && random.chance(0.85)
      ? random.pick(paths)
      : [random.pick(['reason', 'name', 'email', 'id'])];
  const hostile = random.pick(HOSTILE_VALUES);
  setAt(value, path, hostile);
  const shown = JSON.stringify(hostile)?.slice(0, 40) ?? String(hostile);
  return { body: JSON.stringify(value), note: `${path.join('.')}=${shown}` };
}

function pathSegment(op: Operation, options: GenerateOptions): { segment: string; note: string } {
  const { random, ids } = options;
  const prefix = idPrefixFor(op.path, random);
  const roll = random.next();
  const known = ids[prefix];
  if (roll < 0.3 && known.length > 0) return { segment: random.pick(known), note: `known ${prefix}` };
  if (roll < 0.45) return { segment: randomId(prefix, random), note: `unknown ${prefix}` };
  const segment = random.pick(HOSTILE_SEGMENTS);
  return { segment, note: `segment ${segment.slice(0, 20)}` };
}

function queryString(op: Operation, options: GenerateOptions): { query: string; note: string } {
  const { random } = options;
  const parts: string[] = [];
  for (const name of op.query) {
    if (random.chance(0.4)) continue;
    const values = name === 'wait' ? WAIT_VALUES : HOSTILE_QUERY_VALUES;
    parts.push(`${name}=${random.pick(values)}`);
    if (random.chance(0.15)) parts.push(`${name}=${random.pick(values)}`);
  }
  // GET long-polls default to no wait; an explicit wait=0 keeps a plausible request from holding.
  if (op.query.includes('wait') && !parts.some((p) => p.startsWith('wait='))) parts.push('wait=0');
  if (random.chance(0.2))
    parts.push(random.pick(['__proto__=1', 'constructor[prototype]=1', 'a=%00', '=', '&&&']));
  return { query: parts.length > 0 ? `?${parts.join('&')}` : '', note: parts.join('&').slice(0, 60) };
}

/**
 * The fuzz corpus: for every operation and every credential kind it could meet,
 * `perCombination` requests with hostile path segments, query strings, bodies, content
 * types and credentials.
 *
 * @example
 * const requests = generateHostileRequests({ doc, random: seededRandom(9), credentials, ids, publicKey, perCombination: 8 });
 */
export function generateHostileRequests(options: GenerateOptions): FuzzRequest[] {
  const { doc, random, perCombination, publicKey } = options;
  const requests: FuzzRequest[] = [];
  for (const op of operationsOf(doc)) {
    for (const kind of credentialKinds(op)) {
      for (let n = 0; n < perCombination; n++) {
        const notes: string[] = [kind];
        let path = op.path;
        for (const name of op.pathParams) {
          const { segment, note } = pathSegment(op, options);
          path = path.replace(`{${name}}`, segment);
          notes.push(note);
        }
        const { query, note: queryNote } = queryString(op, options);
        if (queryNote) notes.push(queryNote);
        const headers = credentialHeaders(op, kind, options);
        let body: string | Uint8Array<ArrayBuffer> | undefined;
        if (op.bodySchema) {
          const base = plausible(doc, op.bodySchema, random) as Record<string, unknown>;
          if ('publicKey' in base) base.publicKey = publicKey;
          const mutated = mutateBody(base, options);
          body = mutated.body;
          notes.push(mutated.note);
        } else if (op.method !== 'GET' && random.chance(0.2)) {
          body = JSON.stringify(random.pick(HOSTILE_VALUES));
          notes.push('unexpected body');
        }
        if (body !== undefined) {
          headers['content-type'] = 'application/json';
          if (random.chance(0.15)) {
            headers['content-type'] = random.pick(CONTENT_TYPES);
            notes.push(`content-type ${headers['content-type']}`);
          }
        }
        requests.push({
          label: `${op.method} ${op.path} [${notes.join(' | ')}]`,
          method: op.method,
          path: `${path}${query}`,
          headers,
          ...(body === undefined ? {} : { body }),
        });
      }
    }
  }
  for (const segment of HOSTILE_SEGMENTS)
    for (const prefix of ['/docs/assets/', '/assets/'])
      requests.push({
        label: `GET ${prefix}* [static]`,
        method: 'GET',
        path: `${prefix}${segment}`,
        headers: {},
      });
  return requests;
}
