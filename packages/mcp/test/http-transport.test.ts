// The streamable HTTP transport's door: the bearer token, loopback Host/Origin checks
// (no DNS rebinding from a web page), and no serving off loopback without a token.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentSession } from '../src/agent-session.js';
import { type RunningHttpServer, serveAgentOtpHttp } from '../src/http.js';
import { connectHttp } from './support/mcp-clients.js';

const TOKEN = 'a-long-random-test-token';
let http: RunningHttpServer;

beforeAll(async () => {
  // The relay is never called here: listing tools and refusing requests need none.
  const session = new AgentSession({ apiKey: 'ak_test_transport', baseUrl: 'http://127.0.0.1:9' });
  http = await serveAgentOtpHttp(session, { host: '127.0.0.1', port: 0, token: TOKEN });
});
afterAll(async () => {
  await http?.close();
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

function post(headers: Record<string, string>, url = http.url) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(initialize),
  });
}

it('serves the MCP SDK client that sends the bearer token', async () => {
  const connected = await connectHttp(http.url, TOKEN);
  try {
    const { tools } = await connected.client.listTools();
    expect(tools).toHaveLength(4);
  } finally {
    await connected.close();
  }
});

it('refuses a missing or wrong token with 401', async () => {
  const missing = await post({});
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await post({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
});

/** fetch will not send a forged Host header; node:http will, as a rebinding browser would. */
function postWithHost(host: string): Promise<number> {
  const url = new URL(http.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          host,
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(initialize));
  });
}

it('refuses a foreign Host or Origin on loopback (DNS rebinding), and unknown paths', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  expect(await postWithHost('attacker.example')).toBe(403);
  expect(await postWithHost(`localhost:${new URL(http.url).port}`)).toBe(200);
  expect((await post({ ...auth, origin: 'https://attacker.example' })).status).toBe(403);
  expect((await post(auth, http.url.replace('/mcp', '/other'))).status).toBe(404);
});

it('refuses to serve off loopback without a token', async () => {
  const session = new AgentSession({ apiKey: 'ak_test_transport', baseUrl: 'http://127.0.0.1:9' });
  await expect(serveAgentOtpHttp(session, { host: '0.0.0.0', port: 0 })).rejects.toThrow(
    /without a bearer token/,
  );
});
