import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { plainRoute } from '../../declare-route.js';
import type { AppEnv, ServerServices } from '../../env.js';
import type { RelayMetrics } from '../../metrics/relay-metrics.js';
import { errorResponse } from '../../middleware/errors.js';
import type { Router } from '../../openapi-app.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
function requireMetricsToken(token: string): MiddlewareHandler<AppEnv> {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return errorResponse(c, 'UNAUTHORIZED', '/metrics wants Authorization: Bearer <METRICS_TOKEN>');
    }
    await next();
  };
}

/**
 * `/metrics` in the Prometheus text format, registered only when METRICS_ENABLED is set
 * (otherwise the path is a JSON 404). Public unless METRICS_TOKEN is set, then that bearer
 * token is its credential; it is outside the OpenAPI document, like `/healthz`.
 *
 * @example
 * if (metrics) registerMetrics(app, services, metrics, config.metrics.token);
 */
export function registerMetrics(
  app: Router,
  services: ServerServices,
  metrics: RelayMetrics,
  token: string | undefined,
): void {
  const guard = token ? [requireMetricsToken(token)] : [];
  plainRoute(app, services, { method: 'get', path: '/metrics', credential: 'public' }, ...guard, async (c) =>
    c.body(await metrics.scrape(), 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }),
  );
}
