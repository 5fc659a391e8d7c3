import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotApiError, unauthorized } from './api-error.js';
import type { ApiCall, BotState, MethodResult } from './bot-state.js';
import { findMethod } from './methods.js';
import { type Params, readParams } from './request-params.js';

// The HTTP face of the stand-in: `/bot<token>/<method>` on 127.0.0.1, answering
// `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…}` with the
// HTTP status equal to `error_code`, as api.telegram.org does.

const PATH = /^\/bot([^/]+)\/([^/]+)$/;

function send(res: ServerResponse, status: number, payload: unknown, retryAfter?: number): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
  });
  res.end(body);
}

/** Runs one method call against the state; used by HTTP requests and webhook replies. */
export async function dispatch(
  state: BotState,
  call: ApiCall,
  onClientGone: (cancel: () => void) => void,
): Promise<{ status: number; payload: unknown; retryAfter?: number }> {
  state.calls.push(call);
  state.notify();
  let answer: { status: number; payload: unknown; retryAfter?: number };
  try {
    const handler = findMethod(call.method);
    const injected = state.injectedFailures.get(call.method.toLowerCase())?.shift();
    if (injected) throw injected;
    const { result, description }: MethodResult = await handler(state, call.body, { onClientGone });
    answer = { status: 200, payload: { ok: true, result, ...(description ? { description } : {}) } };
  } catch (error) {
    answer = toErrorAnswer(error);
  }
  call.status = answer.status;
  state.notify();
  return answer;
}

function toErrorAnswer(error: unknown): { status: number; payload: unknown; retryAfter?: number } {
  if (error instanceof BotApiError) {
    const retryAfter = error.parameters?.retry_after;
    return {
      status: error.errorCode,
      payload: error.toJSON(),
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    };
  }
  // A bug in the stand-in itself: say so loudly rather than answer something plausible.
  console.error('fake Bot API internal error', error);
  return { status: 500, payload: { ok: false, error_code: 500, description: 'Internal Server Error' } };
}

async function handle(
  state: BotState,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (state.closing) {
    // Like a server that has gone away: the client sees a network error and retries later.
    req.socket.destroy();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = PATH.exec(url.pathname);
  if (!match) {
    req.resume();
    send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  const [, requestToken, method] = match;
  if (requestToken !== token) {
    req.resume();
    send(res, 401, unauthorized().toJSON());
    return;
  }
  let body: Params;
  try {
    body = await readParams(req, url);
  } catch (error) {
    const answer = toErrorAnswer(error);
    // An unread oversized body would otherwise be parsed as the next request.
    if (answer.status === 413) res.shouldKeepAlive = false;
    send(res, answer.status, answer.payload);
    return;
  }
  const call: ApiCall = { method: method!, body, at: Date.now(), via: 'http' };
  const answer = await dispatch(state, call, (cancel) => {
    res.on('close', () => {
      if (!res.writableEnded) cancel();
    });
  });
  if (state.closing) res.shouldKeepAlive = false;
  send(res, answer.status, answer.payload, answer.retryAfter);
}

export interface RunningServer {
  server: Server;
  url: string;
}

export function listen(state: BotState, token: string): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(state, token, req, res).catch((error: unknown) => {
      const answer = toErrorAnswer(error);
      send(res, answer.status, answer.payload);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}
