// Issue 9, "What must be true": a bounded fuzz run over every route in /openapi.json on both
// dialects: a few thousand generated hostile requests, 0 responses of 500, 0 crashes.
// The corpus is seeded (AGENT_OTP_FUZZ_SEED overrides the default); a failure prints the
// seed, the request's index and what was sent, so it reproduces.
import { createOwnerAccount } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { signIn } from '../../../test-support/session.js';
import {
  type FuzzRequest,
  generateHostileRequests,
  type KnownIds,
  operationsOf,
  seededRandom,
} from './fuzz/hostile-requests.js';

const SEED = Number(process.env.AGENT_OTP_FUZZ_SEED ?? 20261130);
const PER_COMBINATION = 8;
const CONCURRENCY = 8;
/** No fuzz request may hold a connection this long (waits are forced to 0; SSE is cut at the headers). */
const REQUEST_TIMEOUT_MS = 30_000;
const OWNER = { email: 'fuzz-owner@example.com', password: 'a long enough fuzzing passphrase' };

interface Outcome {
  status: number;
  text: string;
  contentType: string;
}

async function send(baseUrl: string, request: FuzzRequest): Promise<Outcome> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const contentType = response.headers.get('content-type') ?? '';
  // An event stream that opened is a success; reading it would wait for events forever.
  if (contentType.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, text: '', contentType };
  }
  return { status: response.status, text: await response.text(), contentType };
}

/** The dashboard's own answer when its files are not built: a page, not an API error. */
const DASHBOARD_NOT_BUILT = 'The dashboard is not built';

/** What is wrong with one response, or undefined when it is an acceptable answer. */
function problemWith(request: FuzzRequest, outcome: Outcome): string | undefined {
  if (
    outcome.status === 503 &&
    !request.path.startsWith('/api/') &&
    outcome.text.includes(DASHBOARD_NOT_BUILT)
  )
    return undefined;
  let error: { code?: unknown; message?: unknown; requestId?: unknown } | undefined;
  try {
    error = JSON.parse(outcome.text)?.error;
  } catch {
    error = undefined;
  }
  if (outcome.status >= 500 && !(outcome.status === 503 && error?.code === 'SERVICE_UNAVAILABLE'))
    return `status ${outcome.status}`;
  if (outcome.status >= 400) {
    if (!error) return `status ${outcome.status} without the error shape`;
    for (const field of ['code', 'message', 'requestId'] as const)
      if (typeof error[field] !== 'string') return `status ${outcome.status}: error.${field} is not a string`;
  }
  return undefined;
}

function describeRequest(index: number, request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? ` body=${JSON.stringify(request.body.slice(0, 160))}`
        : ` body=bytes(${[...request.body].join(',')})`;
  const headers = JSON.stringify(request.headers, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…(${value.length})` : value,
  );
  return `seed=${SEED} #${index} ${request.label}\n    ${request.method} ${request.path.slice(0, 160)} headers=${headers}${body}`;
}

/**
 * A message held for the owner: two agents' approved requests tie on it. Undefined when the
 * relay did not hold it, so the held-message routes are then fuzzed with unknown IDs only.
 */
async function holdOneMessage(relay: TestRelay, apiKey: string, sourceToken: string, publicKey: string) {
  const twin = await relay.createAgent({ name: 'fuzz-twin' });
  for (const key of [apiKey, twin.apiKey]) {
    const created = await call(relay.url, '/api/v1/otp', {
      token: key,
      json: { reason: 'tie', publicKey, filter: { sources: ['sms'], senderPattern: 'TieCorp' } },
    });
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
  }
  const captured = await call(relay.url, '/api/v1/capture/messages', {
    token: sourceToken,
    json: { from: 'TieCorp', text: 'Your TieCorp code is 482913' },
  });
  return captured.body?.heldMessageId as string | undefined;
}

describeEachDialect('fuzz: hostile requests over every route in /openapi.json', (dialect) => {
  let relay: TestRelay;
  let requests: FuzzRequest[];
  let operationCount = 0;
  let knownIds = '';

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const agent = await relay.createAgent({ name: 'fuzz-agent' });
    const testAgent = await relay.createAgent({ name: 'fuzz-test-agent', test: true });
    const victim = await relay.createAgent({ name: 'fuzz-victim' });
    const source = await relay.createSource('sms');
    const victimSource = await relay.createSource('email');
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    const { cookies } = await signIn(relay.url, OWNER.email, OWNER.password);
    const { publicKey } = await agentKeyPair();

    const otp = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'fuzz', publicKey, filter: { sources: ['sms'], senderPattern: '*@acme.test' } },
    });
    const permission = await call(relay.url, '/api/v1/permissions/request', {
      token: agent.apiKey,
      json: { action: 'gmail.send', resource: 'email:a@example.com', scope: { max_uses: 2 } },
    });
    const heldMessageId = await holdOneMessage(relay, agent.apiKey, source.token, publicKey);
    const policy = await relay.ownerFetch('/api/v1/policies', {
      method: 'POST',
      body: JSON.stringify({ name: 'fuzz policy', action: 'require_approval', conditions: {} }),
    });
    const ids: KnownIds = {
      otp: [otp.body.id],
      prm: [permission.body.id],
      agt: [victim.id],
      src: [victimSource.id],
      pol: [((await policy.json()) as { id: string }).id],
      hld: heldMessageId ? [heldMessageId] : [],
    };
    for (const [prefix, list] of Object.entries(ids).filter(([, list]) => list.length > 0))
      expect(list[0], `setup created a ${prefix}`).toMatch(new RegExp(`^${prefix}_`));

    knownIds = Object.entries(ids)
      .map(([prefix, list]) => `${prefix}:${list.length}`)
      .join(' ');
    const doc = (await call(relay.url, '/openapi.json')).body;
    operationCount = operationsOf(doc).length;
    const generated = generateHostileRequests({
      doc,
      random: seededRandom(SEED),
      credentials: {
        agentKey: agent.apiKey,
        testAgentKey: testAgent.apiKey,
        sourceToken: source.token,
        ownerToken: relay.ownerToken,
        session: { cookie: cookies.cookie, csrf: cookies.csrf },
      },
      ids,
      publicKey,
      perCombination: PER_COMBINATION,
    });
    // Signing the fuzz's own session out early would turn every later cookie request into a 401.
    const signsOut = (r: FuzzRequest) => r.method === 'DELETE' && r.path.startsWith('/api/v1/session');
    requests = [...generated.filter((r) => !signsOut(r)), ...generated.filter(signsOut)];
  });
  afterAll(() => relay?.stop());

  it('answers every hostile request with a 2xx/4xx in the error shape (or a 503 SERVICE_UNAVAILABLE), and stays healthy', async () => {
    console.info(
      `[${dialect}] fuzz seed ${SEED}: ${requests.length} requests over ${operationCount} operations (known IDs ${knownIds})`,
    );
    expect(operationCount).toBeGreaterThanOrEqual(40);
    expect(requests.length).toBeGreaterThan(1500);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const request = requests[index]!;
        try {
          const outcome = await send(relay.url, request);
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          const problem = problemWith(request, outcome);
          if (problem)
            failures.push(
              `${problem}: ${describeRequest(index, request)}\n    → ${outcome.text.slice(0, 200)}`,
            );
        } catch (error) {
          failures.push(`no answer (${(error as Error).message}): ${describeRequest(index, request)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.info(`[${dialect}] statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);

    expect(failures.slice(0, 15).join('\n'), `${failures.length} failures`).toBe('');
    // Successful requests prove the fuzz reached the handlers, not only the auth gate.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(200);

    const health = await call(relay.url, '/healthz');
    expect(health.status).toBe(200);
    const agents = await call(relay.url, '/api/v1/agents', { token: relay.ownerToken });
    expect(agents.status).toBe(200);
    const unexpected = relay.logs.filter((line) => /unhandled error|"stack"/.test(line));
    expect(unexpected.slice(0, 5).join('\n')).toBe('');
  }, 180_000);
});
