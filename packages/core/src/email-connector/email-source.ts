import { findLiveCaptureSourceByName } from '@agent-otp/db';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { type AuthenticatedSource, createCaptureSource } from '../sources/sources.js';

/**
 * The capture source that the mailbox connector built into `agent-otp serve` acts as, so its
 * deliveries and audit rows name it like any other source. Found by name among the owner's
 * live email sources, created (with a token nobody ever sees) the first time.
 *
 * @example
 * const source = await ensureBuiltInEmailSource(ctx, owner.id, 'built-in IMAP connector');
 */
export async function ensureBuiltInEmailSource(
  ctx: CoreContext,
  ownerId: string,
  name: string,
): Promise<AuthenticatedSource> {
  const existing = await findLiveCaptureSourceByName(ctx.database.db, { ownerId, kind: 'email', name });
  if (existing) return { sourceId: existing.id, ownerId, kind: 'email', name: existing.name };
  // The token is thrown away: the built-in connector calls core directly and never needs it.
  const { source } = await createCaptureSource(ctx, { ownerId, kind: 'email', name, actor: SYSTEM_ACTOR });
  return { sourceId: source.id, ownerId, kind: 'email', name: source.name };
}
