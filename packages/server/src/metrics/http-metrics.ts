import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { lateAnswerOf } from '../middleware/late-answer.js';
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
    const late = lateAnswerOf(c);
    if (!late)
      return metrics.observeHttp(
        c.req.method,
        routeLabel(c),
        c.res.status,
        (performance.now() - started) / 1000,
      );
    // A parked long-poll is counted when it answers (late-answer.ts), without holding its Context.
    const method = c.req.method;
    const route = routeLabel(c);
    late.onAnswered((status) =>
      metrics.observeHttp(method, route, status, (performance.now() - started) / 1000),
    );
  };
}
