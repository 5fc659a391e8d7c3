import { lockAgentRow, type Tx } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

/**
 * Inside the transaction that creates a request: locks the agent's row (PostgreSQL; SQLite
 * transactions are exclusive already) and refuses a revoked agent. An agent authenticated
 * just before its owner revoked it would otherwise slip a new open request past the
 * revocation, which cancels only the requests that existed when it ran. The lock also
 * queues one agent's concurrent creates, so the open-request cap cannot be overshot.
 *
 * @example
 * await lockLiveAgent(ctx, tx, agent.agentId);
 */
export async function lockLiveAgent(ctx: CoreContext, tx: Tx, agentId: string): Promise<void> {
  const agent = await lockAgentRow(tx, ctx.database.dialect, agentId);
  if (!agent || agent.revoked_at !== null)
    throw new AppError('UNAUTHORIZED', 'this agent has been revoked; its API keys no longer work');
}
