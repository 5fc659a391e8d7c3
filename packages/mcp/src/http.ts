import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import type { AgentSession } from './agent-session.js';
import { createAgentOtpMcpServer } from './server.js';

/** Where the streamable HTTP endpoint answers. */
export const MCP_HTTP_PATH = '/mcp';

export interface HttpServeOptions {
  /** Interface to bind; loopback unless told otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Clients must send `Authorization: Bearer <token>`. Required off loopback. */
  token?: string | undefined;
}

export interface RunningHttpServer {
  /** The endpoint URL, e.g. `http://127.0.0.1:8788/mcp`. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests, so neither the length nor the bytes of the token leak through timing. */
function bearerMatches(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), digest(token));
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

/**
 * Serves the tools over MCP streamable HTTP at {@link MCP_HTTP_PATH}. On loopback the Host
 * and Origin headers must be local (a web page cannot reach it by DNS rebinding); off
 * loopback a bearer token is mandatory.
 *
 * @example
 * const http = await serveAgentOtpHttp(new AgentSession(), { host: '127.0.0.1', port: 8788, token });
 */
export async function serveAgentOtpHttp(
  session: AgentSession,
  options: HttpServeOptions,
): Promise<RunningHttpServer> {
  const loopback = isLoopbackHost(options.host);
  if (!loopback && !options.token)
    throw new Error(
      `refusing to serve MCP on ${options.host} without a bearer token: pass --token or set AGENT_OTP_MCP_TOKEN (or bind 127.0.0.1)`,
    );
  const handler = createMcpHandler(() => createAgentOtpMcpServer(session), {
    onerror: (error) => process.stderr.write(`agent-otp-mcp: ${error.message}\n`),
  });
  const fetchHandler = async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname !== MCP_HTTP_PATH)
      return jsonError(404, `the MCP endpoint is ${MCP_HTTP_PATH}`);
    if (loopback) {
      const rejected =
        hostHeaderValidationResponse(request, localhostAllowedHostnames()) ??
        originValidationResponse(request, localhostAllowedOrigins());
      if (rejected) return rejected;
    }
    if (options.token && !bearerMatches(request.headers.get('authorization'), options.token))
      return jsonError(401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' });
    return handler.fetch(request);
  };
  const server: Server = createServer(getRequestListener(fetchHandler, { overrideGlobalObjects: false }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostInUrl}:${port}${MCP_HTTP_PATH}`,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
