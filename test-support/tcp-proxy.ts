import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy a test can cut and restore: from the relay's side of it, a cut is a
 * real database outage (connections reset, new ones refused or never answered), without
 * touching the PostgreSQL cluster other tests share.
 */
export interface TcpProxy {
  /** `target` with its host and port replaced by the proxy's. */
  url: string;
  /** Resets every open connection and refuses new ones (ECONNREFUSED): the database is down. */
  cut(): Promise<void>;
  /** Resets every open connection and accepts new ones without ever answering: a black hole. */
  stall(): Promise<void>;
  /**
   * Open connections stay open but carry nothing more, in either direction (a failover or a
   * NAT timeout: no reset ever arrives); new connections are forwarded as usual.
   */
  freeze(): void;
  /** Forwards again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

type Mode = 'open' | 'stalled';

/**
 * Starts a proxy on 127.0.0.1 (a free port) to the host and port of `targetUrl`.
 *
 * @example
 * const proxy = await startTcpProxy(postgresUrl);
 * const relay = await startTestRelay('postgres', { databaseUrl: proxy.url });
 * await proxy.cut();
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let mode: Mode = 'open';
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset is the point of a cut; it must not surface as an unhandled socket error.
    socket.on('error', () => socket.destroy());
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (mode === 'stalled') return;
    const upstream = connect(targetPort, target.hostname);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  };

  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (!current) return resolve();
      current.close(() => resolve());
    });
  const resetAll = () => {
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
  };

  await listen();
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    async cut() {
      mode = 'open';
      const closed = stopListening();
      resetAll();
      await closed;
    },
    freeze() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    async stall() {
      mode = 'stalled';
      resetAll();
      if (!server) await listen();
    },
    async restore() {
      mode = 'open';
      // Half-open black-holed connections would otherwise linger in the relay's pool.
      resetAll();
      if (!server) await listen();
    },
    async close() {
      const closed = stopListening();
      resetAll();
      await closed;
    },
  };
}
