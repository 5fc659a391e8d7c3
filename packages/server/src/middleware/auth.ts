import { authenticateApiKey, authenticateOwnerToken, authenticateSourceToken } from '@agent-otp/core';
import { AppError } from '@agent-otp/shared';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, ServerServices } from '../env.js';

function bearerToken(c: Context): string {
  const header = c.req.header('authorization');
  if (!header) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer header');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'Authorization header must be "Bearer <token>"');
  return match[1];
}

function enforceRateLimit(services: ServerServices, c: Context, key: string): void {
  const verdict = services.rateLimiter.take(key);
  if (!verdict.allowed) {
    c.header('Retry-After', String(verdict.retryAfterSeconds));
    throw new AppError('RATE_LIMITED', `rate limit exceeded; retry after ${verdict.retryAfterSeconds} s`, {
      retryAfter: verdict.retryAfterSeconds,
    });
  }
}

/**
 * Agent routes: a valid, unrevoked `ak_…` key. A source or owner token is refused here
 * even if valid, so no credential can act as another kind.
 */
export function agentAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token.startsWith('ak_'))
      throw new AppError('UNAUTHORIZED', 'this endpoint needs an agent API key (ak_…)');
    const agent = await authenticateApiKey(services.ctx, token);
    enforceRateLimit(services, c, agent.keyId);
    c.set('agent', agent);
    await next();
  };
}

/** Capture routes: a valid, unrevoked `cs_…` source token. */
export function sourceAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token.startsWith('cs_'))
      throw new AppError('UNAUTHORIZED', 'this endpoint needs a capture-source token (cs_…)');
    const source = await authenticateSourceToken(services.ctx, token);
    enforceRateLimit(services, c, source.sourceId);
    c.set('source', source);
    await next();
  };
}

/** Owner routes: an owner bearer token (`os_…`, minted by the local CLI). */
export function ownerAuth(services: ServerServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token.startsWith('os_'))
      throw new AppError('UNAUTHORIZED', 'this endpoint needs an owner credential');
    const owner = await authenticateOwnerToken(services.ctx, token);
    enforceRateLimit(services, c, owner.id);
    c.set('owner', owner);
    await next();
  };
}
