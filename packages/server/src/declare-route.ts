import { createRoute, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Handler, MiddlewareHandler } from 'hono';
import type { AppEnv, ServerServices } from './env.js';
import { adoptUntypedJsonBody, limitBody } from './middleware/request-guards.js';
import type { Router } from './openapi-app.js';
import { errorResponsesOf, type RouteErrors } from './openapi-errors.js';
import {
  credentialMiddleware,
  credentialName,
  type RouteCredential,
  securityOf,
} from './route-credential.js';

/**
 * An OpenAPI operation as a route file declares it: a stable `operationId` for generated
 * clients, a summary and a description for readers, the credential it takes and the errors
 * it can give beyond the ones that credential and its inputs imply. `security` and the
 * error responses are never written by hand: they are derived from the declaration, so the
 * document and the middleware cannot disagree.
 */
export type DeclaredRoute = RouteConfig & {
  operationId: string;
  summary: string;
  description: string;
  credential: Exclude<RouteCredential, object>;
  /** Error codes this operation can return beyond the implied ones, each with a message the server sends. */
  errors?: RouteErrors;
  security?: never;
  /** The largest body the route reads, refused with 413 before it is read (default 64 KiB). */
  maxBodyBytes?: number;
};

/** JSON requests are small; a route that takes more says so in its declaration. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * `createRoute` for a declared operation: the compiler insists on `operationId`, a summary,
 * a description and `credential`, and refuses a hand-written `security`. The error responses
 * (shared error schema, one example per code) are added here from the declaration.
 *
 * @example
 * export const cancelOtpRoute = declareRoute({ method: 'delete', path: '/api/v1/otp/{id}',
 *   operationId: 'cancelOtpRequest', credential: 'agent', request, responses });
 */
export function declareRoute<P extends string, R extends Omit<DeclaredRoute, 'path'> & { path: P }>(
  config: R,
) {
  const errors = errorResponsesOf({ ...config, maxBodyBytes: config.maxBodyBytes ?? DEFAULT_BODY_LIMIT });
  // The success responses keep their types for the handler; errors are thrown, never returned.
  return createRoute({ ...config, responses: { ...errors, ...config.responses } } as R);
}

/** Every method + path each router registered through a declaration, with its credential. */
const declarations = new WeakMap<Router, Map<string, RouteCredential>>();

function declare(app: Router, method: string, honoPath: string, credential: RouteCredential): void {
  const declared = declarations.get(app) ?? new Map<string, RouteCredential>();
  declarations.set(app, declared);
  const key = `${method.toUpperCase()} ${honoPath}`;
  if (declared.has(key)) throw new Error(`route ${key} is declared twice`);
  declared.set(key, credential);
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Registers one OpenAPI operation: its body limit and then the credential middleware its
 * declaration names run first (before the route's own middleware and its validators), and
 * the document's `security` is set from the same declaration.
 *
 * @example
 * openapiRoute(app, services, cancelOtpRoute, async (c) => c.json(await cancel(c.get('agent')), 200));
 */
export function openapiRoute<R extends DeclaredRoute>(
  app: Router,
  services: ServerServices,
  route: R,
  handler: RouteHandler<R, AppEnv>,
): void {
  const { credential, middleware, maxBodyBytes, errors: _errors, ...operation } = route;
  if (!credential) throw new Error(`${route.method.toUpperCase()} ${route.path} declares no credential`);
  if (!route.operationId) throw new Error(`${route.method.toUpperCase()} ${route.path} has no operationId`);
  // The compiler insists too; this catches a declaration built at run time (spread, cast).
  if (!route.summary || !route.description)
    throw new Error(`${route.method.toUpperCase()} ${route.path} needs a summary and a description`);
  declare(app, route.method, route.path.replaceAll(/\/{(.+?)}/g, '/:$1'), credential);
  const guarded = {
    ...operation,
    security: securityOf(credential),
    // The size limit first, as before any credential check: an oversized body is 413 for anyone.
    middleware: [
      limitBody(maxBodyBytes ?? DEFAULT_BODY_LIMIT),
      // A JSON body sent without a Content-Type (hand-written HTTP) is read as JSON, within that limit.
      adoptUntypedJsonBody,
      ...credentialMiddleware(services, credential),
      ...asArray(middleware),
    ],
  };
  // The handler was type-checked against R above; the added middleware only sets AppEnv variables.
  app.openapi(guarded as RouteConfig, handler as never);
}

/** A route outside the OpenAPI document (the reference page, health, provider webhooks). */
export interface PlainRoute {
  method: 'get' | 'post';
  path: string;
  credential: RouteCredential;
  /** Refused with 413 before the credential check reads it (provider signatures cover the raw body). */
  maxBodyBytes?: number;
}

/**
 * Registers a route that is not an OpenAPI operation, with the credential it takes.
 *
 * @example
 * plainRoute(app, services, { method: 'get', path: '/healthz', credential: 'public' }, (c) => c.json({ status: 'ok' }));
 */
export function plainRoute(
  app: Router,
  services: ServerServices,
  route: PlainRoute,
  ...handlers: [...MiddlewareHandler<AppEnv>[], Handler<AppEnv>]
): void {
  declare(app, route.method, route.path, route.credential);
  app.on(
    [route.method.toUpperCase()],
    [route.path],
    ...(route.maxBodyBytes === undefined ? [] : [limitBody(route.maxBodyBytes)]),
    ...credentialMiddleware(services, route.credential),
    ...handlers,
  );
}

/**
 * Refuses to start an app with a route that bypassed the declarations (a bare `app.get`
 * or `app.openapi`): such a route would be silently public. Middleware registered with
 * `app.use` (method ALL) is not a route.
 *
 * @example
 * assertEveryRouteDeclared(app); // throws "route GET /x declares no credential …"
 */
export function assertEveryRouteDeclared(app: Router): void {
  const declared = declarations.get(app) ?? new Map<string, RouteCredential>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue;
    if (!declared.has(`${method} ${path}`))
      throw new Error(
        `route ${method} ${path} declares no credential: register it with openapiRoute or plainRoute`,
      );
  }
}

/**
 * Every declared route of an app and its credential, e.g. `GET /healthz → public`.
 *
 * @example
 * declaredRoutes(app).get('POST /api/v1/otp'); // 'agent'
 */
export function declaredRoutes(app: Router): ReadonlyMap<string, string> {
  const declared = declarations.get(app) ?? new Map<string, RouteCredential>();
  return new Map([...declared].map(([key, credential]) => [key, credentialName(credential)]));
}
