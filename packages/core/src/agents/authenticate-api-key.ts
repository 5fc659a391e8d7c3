import { findApiKeyHolder, markApiKeyUsed } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { hashSecret } from '../secrets.js';

/** The agent behind a valid API key. */
export interface AuthenticatedAgent {
  agentId: string;
  agentName: string;
  ownerId: string;
  keyId: string;
  environment: 'live' | 'test';
}

const API_KEY_SHAPE = /^ak_(live|test)_[A-Za-z0-9]{43}$/;

/**
 * Resolves an API key to its agent, or fails with UNAUTHORIZED (unknown, malformed or
 * revoked key, or revoked agent). Only the key's hash is ever looked up.
 *
 * @example
 * const agent = await authenticateApiKey(ctx, 'ak_live_…');
 */
export async function authenticateApiKey(ctx: CoreContext, apiKey: string): Promise<AuthenticatedAgent> {
  if (!API_KEY_SHAPE.test(apiKey)) throw new AppError('UNAUTHORIZED', 'API key is malformed');
  const row = await findApiKeyHolder(ctx.database.db, hashSecret(apiKey));
  if (!row) throw new AppError('UNAUTHORIZED', 'API key is not valid');
  if (row.keyRevokedAt || row.agentRevokedAt) throw new AppError('UNAUTHORIZED', 'API key has been revoked');
  const now = nowIso(ctx);
  // Writing last_used_at on every call would serialise all agents on one row; once a minute is enough.
  if (!row.lastUsedAt || Date.parse(now) - Date.parse(row.lastUsedAt) > 60_000)
    await markApiKeyUsed(ctx.database.db, row.keyId, now);
  return {
    agentId: row.agentId,
    agentName: row.agentName,
    ownerId: row.ownerId,
    keyId: row.keyId,
    environment: row.environment,
  };
}
