import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import type { Logger } from './logger.js';
import { type LateAnswer, lateAnswerOf } from './middleware/late-answer.js';

/** Requests answered with a file of the built dashboard or guide (see app.ts's notFound). */
const staticFiles = new WeakSet<Context>();

/**
 * Marks a request as answered with a static file (the dashboard's files and page shell, the
 * guide), which the access log writes at `debug`: a page load fetches dozens of them.
 *
 * @example
 * if (page) markStaticFile(c);
 */
export function markStaticFile(c: Context): void {
  staticFiles.add(c);
}

/** Successful liveness and readiness probes: an orchestrator sends one every few seconds. */
function isPassingProbe(path: string, status: number): boolean {
  return status < 400 && (path === '/healthz' || path === '/readyz');
}

/**
 * The access line of a parked long-poll, written when it answers (late-answer.ts) from the
 * few values it needs: a closure here, apart from the middleware's, holds no Context.
 */
function logWhenAnswered(
  lines: Logger,
  late: LateAnswer,
  requestId: string,
  method: string,
  path: string,
  started: number,
): void {
  late.onAnswered((status) => {
    const quiet = isPassingProbe(path, status);
    if (quiet ? !lines.isLevelEnabled('debug') : !lines.isLevelEnabled('info')) return;
    const line = { requestId, method, path, status, ms: Math.round(performance.now() - started) };
    if (quiet) lines.debug(line, 'request');
    else lines.info(line, 'request');
  });
}

/**
 * A structured access line per request: never bodies, headers or query strings. At `info`
 * for API calls, pages' errors and failing probes; at `debug` for static files and passing
 * health probes, so a busy dashboard or a load balancer does not drown the log.
 *
 * The line's fields are fixed (an ID, the method, the path, the status, the time taken) and
 * hold no secret, so it is written through a child logger without the redaction paths: pino
 * would otherwise walk each path, wildcards included, for every request.
 *
 * @example
 * app.use('*', accessLog(services.logger));
 */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  const lines = logger.child({}, { redact: [] });
  return async (c, next) => {
    const started = performance.now();
    await next();
    const late = lateAnswerOf(c);
    if (late) return logWhenAnswered(lines, late, c.get('requestId'), c.req.method, c.req.path, started);
    const status = c.res.status;
    const path = c.req.path;
    const quiet = staticFiles.has(c) || isPassingProbe(path, status);
    if (quiet ? !lines.isLevelEnabled('debug') : !lines.isLevelEnabled('info')) return;
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      // An email link's token is a credential: the log shows that a link was used, not which.
      path: path.startsWith('/email-decision/') ? '/email-decision/…' : path,
      status,
      ms: Math.round(performance.now() - started),
    };
    if (quiet) lines.debug(line, 'request');
    else lines.info(line, 'request');
  };
}
