import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { type RelayMetrics, routeLabel } from './relay-metrics.js';

/**
 * Counts every answered request and its latency under the route template that answered.
 *
 * @example
 * app.use('*', httpMetrics(metrics));
 */
export function httpMetrics(metrics: RelayMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeHttp(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
  };
}
