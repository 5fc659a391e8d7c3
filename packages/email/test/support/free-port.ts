import { createServer, type Server } from 'node:net';

function bindEphemeral(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      resolve({ server, port: address.port });
    });
  });
}

/**
 * `count` distinct loopback ports that were free a moment ago. All are held open until every
 * one is chosen: two ports picked one after the other can be the same port (the kernel reuses
 * the one just released), which once gave dovecot a "duplicate listener" and failed CI.
 */
export async function freePorts(count: number): Promise<number[]> {
  const bound: { server: Server; port: number }[] = [];
  try {
    for (let i = 0; i < count; i++) bound.push(await bindEphemeral());
    return bound.map((entry) => entry.port);
  } finally {
    await Promise.all(bound.map((entry) => new Promise((resolve) => entry.server.close(resolve))));
  }
}

/** A loopback port that was free a moment ago: the kernel picks it when we bind port 0. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('could not bind a loopback port');
  return port;
}
