import {
  type AuthenticatedBrowserSession,
  authenticateApiKey,
  authenticateBrowserSession,
  authenticateOwnerToken,
  authenticateSourceToken,
  csrfTokenMatches,
} from '@agent-otp/core';
import { AppError } from '@agent-otp/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { markConnectionAuthenticated } from '../connection-limits.js';
import type { AppEnv, ServerServices } from '../env.js';
import { OWNER_TOKEN_CHANNEL } from '../routes/owner/owner-actor.js';
import { clientIp } from './client-ip.js';
import type { RateVerdict } from './rate-limit.js';
import { CSRF_HEADER, clearSessionCookies, readSessionCookie } from './session-cookies.js';

function bearerToken(c: Context): string {
  const header = c.req.header('authorization');
  if (!header) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer header');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'Authorization header must be "Bearer <token>"');
  return match[1];
}

function refuse(c: Context, verdict: RateVerdict, what: string): void {
  if (verdict.allowed) return;
  c.header('Retry-After', String(verdict.retryAfterSeconds));
  throw new AppError('RATE_LIMITED', `${what}; retry after ${verdict.retryAfterSeconds} s`, {
    retryAfter: verdict.retryAfterSeconds,
  });
}

function enforceRateLimit(services: ServerServices, c: Context, key: string): void {
  refuse(c, services.rateLimiter.take(key), 'rate limit exceeded');
}

/**
 * Runs one credential check under the client address's budget of failed authentications
 * (AUTH_FAILURES_PER_MINUTE). Each refused credential (UNAUTHORIZED: malformed, unknown,
 * revoked, expired) spends one failure; an address with none left gets 429 before its
 * credential is even looked at, so guessing stays slow, and that includes a correct key sent
 * from the same address until the budget refills (Retry-After says when). Requests that
 * carry no credential at all spend nothing: a signed-out dashboard is not an attack.
 */
async function authenticating<T>(services: ServerServices, c: Context, check: () => Promise<T>): Promise<T> {
  const address = clientIp(c, services.web.trustProxy);
  refuse(c, services.authFailures.check(address), 'too many failed authentications from this address');
  try {
    return await check();
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED' && presentsCredential(c))
      services.authFailures.take(address);
    throw error;
  }
}

function presentsCredential(c: Context): boolean {
  return c.req.header('authorization') !== undefined || readSessionCookie(c) !== undefined;
}

/**
 * Agent routes: a valid, unrevoked `ak_…` key. A source or owner token is refused here
 * even if valid, so no credential can act as another kind.
 */
export function agentAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const agent = await authenticating(services, c, () => {
      const token = bearerToken(c);
      if (!token.startsWith('ak_'))
        throw new AppError('UNAUTHORIZED', 'this endpoint needs an agent API key (ak_…)');
      return authenticateApiKey(services.ctx, token);
    });
    enforceRateLimit(services, c, agent.keyId);
    markConnectionAuthenticated(c);
    c.set('agent', agent);
    await next();
  };
}

/** Capture routes: a valid, unrevoked `cs_…` source token. */
export function sourceAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const source = await authenticating(services, c, () => {
      const token = bearerToken(c);
      if (!token.startsWith('cs_'))
        throw new AppError('UNAUTHORIZED', 'this endpoint needs a capture-source token (cs_…)');
      return authenticateSourceToken(services.ctx, token);
    });
    enforceRateLimit(services, c, source.sourceId);
    markConnectionAuthenticated(c);
    c.set('source', source);
    await next();
  };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A dashboard session from its cookie; on state-changing methods the CSRF header must hold
 * this session's token too. A cross-site page can make the browser send the cookie (not
 * with SameSite=Strict, but defence in depth) yet can never read the CSRF cookie to copy it.
 *
 * @example
 * const session = await browserSessionAuth(services, c);
 */
export async function browserSessionAuth(
  services: ServerServices,
  c: Context,
): Promise<AuthenticatedBrowserSession> {
  const cookie = readSessionCookie(c);
  if (!cookie)
    throw new AppError(
      'UNAUTHORIZED',
      'not signed in: sign in to the dashboard, or send Authorization: Bearer os_…',
    );
  const session = await authenticating(services, c, () => authenticateBrowserSession(services.ctx, cookie));
  if (STATE_CHANGING.has(c.req.method) && !csrfTokenMatches(session, c.req.header(CSRF_HEADER)))
    throw new AppError('CSRF_REJECTED', `missing or wrong ${CSRF_HEADER} header for this session`);
  return session;
}

/**
 * Owner routes: an owner bearer token (`os_…`, minted by the local CLI) or a dashboard
 * session cookie (with its CSRF header on state-changing requests). The decision channel
 * follows the credential, never the request body.
 */
export function ownerAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header('authorization') === undefined && readSessionCookie(c) !== undefined) {
      const session = await browserSessionAuth(services, c);
      enforceRateLimit(services, c, session.owner.id);
      markConnectionAuthenticated(c);
      c.set('owner', session.owner);
      c.set('ownerChannel', 'dashboard');
      c.set('browserSession', session);
      await next();
      return;
    }
    const owner = await authenticating(services, c, () => {
      const token = bearerToken(c);
      if (!token.startsWith('os_'))
        throw new AppError('UNAUTHORIZED', 'this endpoint needs an owner credential');
      return authenticateOwnerToken(services.ctx, token);
    });
    enforceRateLimit(services, c, owner.id);
    markConnectionAuthenticated(c);
    c.set('owner', owner);
    c.set('ownerChannel', OWNER_TOKEN_CHANNEL);
    await next();
  };
}

/**
 * Dashboard-session routes (who-am-I, sign-out): the session cookie only, never a bearer.
 * A refused session also gets its cookies cleared, so a dead session does not linger in
 * the browser.
 *
 * @example
 * app.openapi({ ...currentSessionRoute, middleware: [sessionAuth(services)] }, handler);
 */
export function sessionAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let session: AuthenticatedBrowserSession;
    try {
      session = await browserSessionAuth(services, c);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED')
        clearSessionCookies(c, services.ctx.publicUrl);
      throw error;
    }
    c.set('owner', session.owner);
    c.set('ownerChannel', 'dashboard');
    c.set('browserSession', session);
    await next();
  };
}
