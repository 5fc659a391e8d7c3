import { endBrowserSession, signInWithPassword } from '@agent-otp/core';
import { AppError, ErrorResponse, SessionInfo, SignInBody } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ServerServices } from '../../env.js';
import { browserSessionAuth } from '../../middleware/auth.js';
import { clientIp } from '../../middleware/client-ip.js';
import { clearSessionCookies, setSessionCookies } from '../../middleware/session-cookies.js';
import { errorResponses, type Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const sessionSecurity = [{ sessionCookie: [] }];

const routes = {
  signIn: createRoute({
    method: 'post',
    path: '/api/v1/session',
    tags: ['Dashboard session'],
    summary: 'Sign in with email and password; sets the session and CSRF cookies',
    description:
      'Failed attempts are limited per (email, client address) pair and per client address; over the limit the answer is 429 with Retry-After. When the relay is already checking as many passwords as it allows, the answer is 503 with Retry-After.',
    request: { body: { required: true, content: json(SignInBody) } },
    responses: {
      200: { description: 'Signed in.', content: json(SessionInfo) },
      ...errorResponses(),
      503: {
        description: 'The relay is checking as many passwords as it allows; see Retry-After.',
        content: json(ErrorResponse),
      },
    },
  }),
  current: createRoute({
    method: 'get',
    path: '/api/v1/session',
    tags: ['Dashboard session'],
    summary: 'The signed-in owner (401 when not signed in)',
    security: sessionSecurity,
    responses: { 200: { description: 'Signed in.', content: json(SessionInfo) }, ...errorResponses() },
  }),
  signOut: createRoute({
    method: 'delete',
    path: '/api/v1/session',
    tags: ['Dashboard session'],
    summary: 'Sign out: the session cookie stops working at once (needs the CSRF header)',
    security: sessionSecurity,
    responses: {
      200: { description: 'Signed out.', content: json(z.object({ signedOut: z.literal(true) })) },
      ...errorResponses(403),
    },
  }),
};

/** Answers 401s from session checks with cleared cookies, so a dead session does not linger. */
async function withSession<T>(
  services: ServerServices,
  c: Context,
  fn: (s: Awaited<ReturnType<typeof browserSessionAuth>>) => Promise<T>,
) {
  try {
    return await fn(await browserSessionAuth(services, c));
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED')
      clearSessionCookies(c, services.ctx.publicUrl);
    throw error;
  }
}

/** `/api/v1/session`: the dashboard's sign-in, who-am-I and sign-out. */
export function registerSession(app: Router, services: ServerServices) {
  app.openapi(routes.signIn, async (c) => {
    const body = c.req.valid('json');
    try {
      const session = await signInWithPassword(services.ctx, {
        ...body,
        ip: clientIp(c, services.web.trustProxy),
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
  app.openapi(routes.current, (c) =>
    withSession(services, c, async (session) =>
      c.json({ owner: session.owner, expiresAt: session.expiresAt }, 200),
    ),
  );
  app.openapi(routes.signOut, (c) =>
    withSession(services, c, async (session) => {
      await endBrowserSession(services.ctx, session);
      clearSessionCookies(c, services.ctx.publicUrl);
      return c.json({ signedOut: true as const }, 200);
    }),
  );
}
