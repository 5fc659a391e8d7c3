import type { Tx } from '../transaction.js';

/**
 * The key fingerprint of an agent's OTP request made just before the given one, or null when
 * there is none: what the approval card compares the request's key with ("same key as this
 * agent's last request" / "new key"). One entry read back along the index in this order,
 * `(agent_id, created_at, id)` (migration 0021), however long the agent's history.
 *
 * @example
 * const previous = await findPreviousKeyFingerprint(db, { agentId, id, createdAt });
 */
export async function findPreviousKeyFingerprint(
  tx: Tx,
  request: { agentId: string; id: string; createdAt: string },
): Promise<string | null> {
  const row = await tx
    .selectFrom('otp_requests')
    .select('key_fingerprint')
    .where('agent_id', '=', request.agentId)
    .where('created_at', '<=', request.createdAt)
    .where('id', '!=', request.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.key_fingerprint ?? null;
}
