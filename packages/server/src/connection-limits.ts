import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Context } from 'hono';

/** Each counted socket's way out of its address's count (closed, or authenticated). */
const uncount = new WeakMap<Socket, () => void>();

function refusal(maxPerAddress: number): string {
  const body = JSON.stringify({
    error: {
      code: 'RATE_LIMITED',
      message: `too many connections from your address: at most ${maxPerAddress} unauthenticated connections per address; retry after 1 s`,
      requestId: 'none',
    },
  });
  return [
    'HTTP/1.1 429 Too Many Requests',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Retry-After: 1',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Caps the connections one client address may hold open before any request on them has
 * authenticated. Without it a single address could open thousands of idle or slow
 * connections (each held until the headers timeout) and starve everyone else. The
 * connection beyond the cap gets 429 and is closed at once; a connection leaves the count
 * when it closes or when a request on it presents a valid credential
 * ({@link markConnectionAuthenticated}). Counts socket addresses, so it is not applied
 * behind a reverse proxy (TRUST_PROXY), where every connection comes from the proxy: the
 * proxy must limit connections per client there.
 *
 * @example
 * limitUnauthenticatedConnections(server, 64);
 */
export function limitUnauthenticatedConnections(server: Server, maxPerAddress: number): void {
  const open = new Map<string, number>();
  // Before http's own listener, so a refused socket is closed before it is parsed.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > maxPerAddress) {
      socket.on('error', () => {});
      socket.write(refusal(maxPerAddress), () => socket.destroy());
      return;
    }
    open.set(address, count);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    uncount.set(socket, release);
    socket.once('close', release);
  });
}

/**
 * Takes the request's connection out of its address's unauthenticated count: called by
 * the auth middleware once a credential checked out. In-process requests have no socket.
 *
 * @example
 * markConnectionAuthenticated(c);
 */
export function markConnectionAuthenticated(c: Context): void {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  if (socket) uncount.get(socket)?.();
}
