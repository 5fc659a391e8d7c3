import { type AuthenticatedBrowserSession, endBrowserSession, signInWithPassword } from '@agent-otp/core';
import { AppError, SessionInfo, SignedOut, SignInBody } from '@agent-otp/shared';
import type { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { clientIp } from '../../middleware/client-ip.js';
import { clearSessionCookies, setSessionCookies } from '../../middleware/session-cookies.js';
import type { Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  signIn: declareRoute({
    method: 'post',
    path: '/api/v1/session',
    operationId: 'signIn',
    credential: 'public',
    tags: ['Dashboard session'],
    summary: 'Sign in with email and password; sets the session and CSRF cookies',
    description:
      'Failed attempts are limited per (email, client address) pair and per client address; over the limit the answer is 429 with Retry-After. When the relay is already checking as many passwords as it allows, the answer is 503 with Retry-After.',
    errors: {
      UNAUTHORIZED: 'email or password is wrong',
      RATE_LIMITED: 'too many failed sign-ins; retry after 60 s',
      SERVICE_UNAVAILABLE:
        'the relay is busy checking passwords (at most 2 at a time, 32 waiting); retry after 1 s',
    },
    request: { body: { required: true, content: json(SignInBody) } },
    responses: {
      200: { description: 'Signed in.', content: json(SessionInfo) },
    },
  }),
  current: declareRoute({
    method: 'get',
    path: '/api/v1/session',
    operationId: 'getSession',
    tags: ['Dashboard session'],
    summary: 'The signed-in owner (401 when not signed in)',
    description:
      'The owner the session cookie belongs to, and the CSRF token state-changing requests must send in the `x-csrf-token` header.',
    errors: {
      UNAUTHORIZED: 'your session has expired; sign in again',
    },
    credential: 'session',
    responses: { 200: { description: 'Signed in.', content: json(SessionInfo) } },
  }),
  signOut: declareRoute({
    method: 'delete',
    path: '/api/v1/session',
    operationId: 'signOut',
    tags: ['Dashboard session'],
    summary: 'Sign out: the session cookie stops working at once (needs the CSRF header)',
    description: 'Ends the dashboard session: the cookie stops working at once and both cookies are cleared.',
    credential: 'session',
    responses: {
      200: { description: 'Signed out.', content: json(SignedOut) },
    },
  }),
};

/** The session the `session` credential middleware checked; it always set one. */
function signedInSession(session: AuthenticatedBrowserSession | undefined): AuthenticatedBrowserSession {
  if (!session) throw new AppError('UNAUTHORIZED', 'not signed in');
  return session;
}

/** `/api/v1/session`: the dashboard's sign-in, who-am-I and sign-out. */
export function registerSession(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.signIn, async (c) => {
    const body = c.req.valid('json');
    try {
      const session = await signInWithPassword(services.ctx, {
        ...body,
        ip: clientIp(c, services.web.trustProxy),
        userAgent: c.req.header('user-agent'),
      });
      setSessionCookies(c, session, services.ctx.publicUrl, services.ctx.clock.now());
      return c.json({ owner: session.owner, expiresAt: session.expiresAt }, 200);
    } catch (error) {
      // Over the sign-in limits (429) or the password-hash budget (503): say when to retry.
      const retryAfter = error instanceof AppError && (error.details as { retryAfter?: unknown })?.retryAfter;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      throw error;
    }
  });
  // The session middleware (credential 'session') clears the cookies of a refused session.
  openapiRoute(app, services, routes.current, async (c) => {
    const session = signedInSession(c.get('browserSession'));
    return c.json({ owner: session.owner, expiresAt: session.expiresAt }, 200);
  });
  openapiRoute(app, services, routes.signOut, async (c) => {
    await endBrowserSession(services.ctx, signedInSession(c.get('browserSession')));
    clearSessionCookies(c, services.ctx.publicUrl);
    return c.json({ signedOut: true as const }, 200);
  });
}
