import {
  type AuthenticatedBrowserSession,
  changePassword,
  endOwnerBrowserSession,
  listBrowserSessions,
} from '@agent-otp/core';
import {
  AppError,
  BrowserSessionId,
  BrowserSessionList,
  ChangePasswordBody,
  PasswordChanged,
  SessionEnded,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { clientIp } from '../../middleware/client-ip.js';
import { clearSessionCookies } from '../../middleware/session-cookies.js';
import type { Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  changePassword: declareRoute({
    method: 'post',
    path: '/api/v1/account/password',
    operationId: 'changePassword',
    tags: ['Account'],
    summary: 'Change the password (the current one is required); ends every other browser session',
    description:
      'Checks the current password (a wrong one is 403 and counts as a failed sign-in for the rate limit), sets the new one and ends every other dashboard session of the owner; this one stays signed in. Recorded as `owner.password_changed`.',
    credential: 'session',
    errors: {
      FORBIDDEN: 'the current password is wrong',
      RATE_LIMITED: 'too many failed sign-ins; retry after 60 s',
      SERVICE_UNAVAILABLE:
        'the relay is busy checking passwords (at most 2 at a time, 32 waiting); retry after 1 s',
    },
    request: { body: { required: true, content: json(ChangePasswordBody) } },
    responses: { 200: { description: 'Changed.', content: json(PasswordChanged) } },
  }),
  sessions: declareRoute({
    method: 'get',
    path: '/api/v1/account/sessions',
    operationId: 'listBrowserSessions',
    tags: ['Account'],
    summary: "The signed-in owner's dashboard sessions",
    description:
      'Every dashboard session of the owner that has not expired, newest first: the browser it was opened in, when, when it was last used, and which one is making this request.',
    credential: 'session',
    responses: { 200: { description: 'The sessions.', content: json(BrowserSessionList) } },
  }),
  endSession: declareRoute({
    method: 'delete',
    path: '/api/v1/account/sessions/{id}',
    operationId: 'endBrowserSession',
    tags: ['Account'],
    summary: 'End one dashboard session',
    description:
      'Its cookie stops working at once (ending the current one signs this browser out). Recorded as `owner.session_ended`.',
    credential: 'session',
    errors: { NOT_FOUND: 'no session ses_01JD2W9X3YH4Q7M5RZ8T6KCB2N' },
    request: { params: z.object({ id: BrowserSessionId }) },
    responses: { 200: { description: 'Ended.', content: json(SessionEnded) } },
  }),
};

function signedIn(session: AuthenticatedBrowserSession | undefined) {
  if (!session) throw new AppError('UNAUTHORIZED', 'not signed in');
  return { sessionId: session.sessionId, owner: session.owner };
}

/** `/api/v1/account`: password and sessions of the signed-in owner (dashboard session only). */
export function registerAccountSecurity(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.changePassword, async (c) => {
    const body = c.req.valid('json');
    try {
      const { endedSessions } = await changePassword(services.ctx, signedIn(c.get('browserSession')), {
        ...body,
        ip: clientIp(c, services.web.trustProxy),
      });
      return c.json({ changed: true as const, endedSessions }, 200);
    } catch (error) {
      const retryAfter = error instanceof AppError && (error.details as { retryAfter?: unknown })?.retryAfter;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      throw error;
    }
  });
  openapiRoute(app, services, routes.sessions, async (c) => {
    return c.json(
      { sessions: await listBrowserSessions(services.ctx, signedIn(c.get('browserSession'))) },
      200,
    );
  });
  openapiRoute(app, services, routes.endSession, async (c) => {
    const { id } = c.req.valid('param');
    const current = signedIn(c.get('browserSession'));
    await endOwnerBrowserSession(services.ctx, current.owner, id);
    if (id === current.sessionId) clearSessionCookies(c, services.ctx.publicUrl);
    return c.json({ ended: true as const }, 200);
  });
}
