import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@agent-otp/config';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { limitUnauthenticatedConnections } from './connection-limits.js';
import { type CreateServicesOptions, createServices, type RunningServices } from './services.js';

export interface RunningServer {
  url: string;
  port: number;
  services: RunningServices;
  /** Graceful stop: refuse new requests, end long-polls, wait for in-flight ones, close the database. */
  stop(): Promise<void>;
}

/**
 * Starts the relay's HTTP server.
 *
 * @example
 * const server = await startServer(loadConfig(process.env));
 * console.log(`listening on ${server.url}`);
 */
export async function startServer(
  config: Config,
  options: CreateServicesOptions = {},
): Promise<RunningServer> {
  const services = await createServices(config, options);
  const app = createApp(services);
  const limits = config.connections;
  const server = serve({
    fetch: app.fetch,
    port: config.port,
    hostname: config.host,
    // Node holds a slow request for 300 s by default. Both timeouts end when the request has
    // been received, so a long-poll or SSE stream (a GET with no body) is never cut by them.
    serverOptions: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node looks for overdue requests (default 30 s, far coarser than the limits).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
  }) as Server;
  if (!config.trustProxy) limitUnauthenticatedConnections(server, limits.maxUnauthenticatedPerAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await services.close();
    if (error.code === 'EADDRINUSE')
      throw new Error(`port ${config.port} on ${config.host} is already in use; set PORT`);
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  services.logger.info({ url, database: services.ctx.database.dialect }, 'agent-otp relay listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      services.beginShutdown();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        setTimeout(() => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          resolve();
        }, 10_000).unref();
      });
      await services.close();
      services.logger.info('agent-otp relay stopped');
    })();
    return stopping;
  };
  return { url, port, services, stop };
}
