/**
 * Issue 18: a served long-poll lets go of its HTTP handler while it waits and answers later
 * on the Node response (late-answer.ts); a served event stream is written on the Node
 * response (node-event-stream.ts). What a client receives and what the log says must be
 * what they were when the handler held on: the same head, the same body, the same error
 * answers, one access line with the real status and time, nothing left behind on disconnect.
 */
import { connect } from 'node:net';
import { requestTopic, topicFollowers } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** One request on a socket of its own; resolves with all the server sent, once it closes. */
function rawGet(url: string, path: string, apiKey: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname, () =>
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${apiKey}\r\nConnection: close\r\n\r\n`,
    ),
  );
  let text = '';
  socket.on('data', (chunk) => (text += chunk));
  const done = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  return { done, destroy: () => socket.destroy() };
}

/** A raw answer's status line, header names in order (with the values that never vary), and body. */
function parseAnswer(raw: string) {
  const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = lines.map((line) => line.slice(0, line.indexOf(':')));
  const value = (name: string) =>
    lines.find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.split(': ')[1];
  return { statusLine, headers, value, body };
}

describeEachDialect('answers given after the handler let go', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'late' }));
  });
  afterAll(() => relay.stop());

  const newRequest = async () => {
    const keys = await agentKeyPair();
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'late', publicKey: keys.publicKey },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const parked = (id: string, count = 1) =>
    eventually(async () => topicFollowers(relay.ctx.bus).followerCount(requestTopic(id)) === count);

  it('answers a parked long-poll with the head and body an immediate answer has, and logs it when it answers', async () => {
    const id = await newRequest();
    const waiting = rawGet(relay.url, `/api/v1/otp/${id}?wait=20`, apiKey);
    await parked(id);
    const parkedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    const late = parseAnswer(await waiting.done);
    const heldMs = Date.now() - parkedAt;
    const immediate = parseAnswer(await rawGet(relay.url, `/api/v1/otp/${id}`, apiKey).done);

    expect(late.statusLine).toBe('HTTP/1.1 200 OK');
    expect(late.headers).toEqual(immediate.headers);
    for (const name of ['content-type', 'cache-control', 'X-Content-Type-Options', 'Content-Security-Policy'])
      expect(late.value(name)).toBe(immediate.value(name));
    expect(Number(late.value('Content-Length'))).toBe(Buffer.byteLength(late.body));
    expect(JSON.parse(late.body)).toEqual(JSON.parse(immediate.body));
    expect(JSON.parse(late.body).status).toBe('approved');

    // One access line, written when it answered: the real status and the time it was held.
    const requestId = late.value('X-Request-Id');
    const lines = relay.logs
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string; status?: number; ms?: number })
      .filter((line) => line.msg === 'request' && line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.status).toBe(200);
    expect(lines[0]!.ms).toBeGreaterThanOrEqual(300);
    expect(lines[0]!.ms).toBeLessThanOrEqual(heldMs + 5000);
  });

  it('answers a parked long-poll whose re-read fails as the error handler does, request ID and all', async () => {
    const id = await newRequest();
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select(['owner_id', 'agent_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const waiting = rawGet(relay.url, `/api/v1/otp/${id}?wait=20`, apiKey);
    await parked(id);
    // The request vanishes under the waiter; the event makes it re-read and find nothing.
    await relay.ctx.database.db.deleteFrom('otp_requests').where('id', '=', id).execute();
    relay.ctx.bus.publish({
      type: 'status',
      kind: 'otp',
      requestId: id,
      ownerId: row.owner_id,
      agentId: row.agent_id,
      status: 'approved',
      hasPayload: false,
    });
    const late = parseAnswer(await waiting.done);
    const unknown = parseAnswer(await rawGet(relay.url, `/api/v1/otp/${id}?wait=20`, apiKey).done);

    expect(late.statusLine).toBe('HTTP/1.1 404 Not Found');
    expect(late.headers).toEqual(unknown.headers);
    expect(Number(late.value('Content-Length'))).toBe(Buffer.byteLength(late.body));
    expect(JSON.parse(late.body)).toEqual({
      error: { code: 'NOT_FOUND', message: `no OTP request ${id}`, requestId: late.value('X-Request-Id') },
    });
  });

  it('lets go of an event stream whose client went away', async () => {
    const id = await newRequest();
    const stream = rawGet(relay.url, `/api/v1/otp/${id}/events`, apiKey);
    await parked(id);
    stream.destroy();
    await stream.done;
    await parked(id, 0);
  });

  it('wakes many parked long-polls on one request once each, with one answer each', async () => {
    const id = await newRequest();
    const waiters = Array.from({ length: 6 }, () => rawGet(relay.url, `/api/v1/otp/${id}?wait=20`, apiKey));
    await parked(id, 6);
    await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    for (const waiter of waiters) {
      const raw = await waiter.done;
      // Exactly one response on each connection.
      expect(raw.split('HTTP/1.1 ').length - 1).toBe(1);
      expect(JSON.parse(parseAnswer(raw).body).status).toBe('approved');
    }
    await parked(id, 0);
  });
});
