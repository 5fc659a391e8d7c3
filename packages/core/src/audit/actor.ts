import type { DecisionChannel } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';

/** Who did something, and through which channel; recorded with every audit event. */
export interface Actor {
  type: 'owner' | 'agent' | 'source' | 'system' | 'policy';
  id: string | null;
  /** Human-readable: an owner's email, an agent's name, a policy name. */
  label: string;
  channel: DecisionChannel;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'system', channel: 'system' };

/**
 * The audit actor for an agent acting through its API key: every agent action is recorded
 * the same way, whichever kind of request it touches.
 *
 * @example
 * await recordAuditEvent(ctx, tx, { ownerId, actor: agentActor(agent), action: 'otp.cancelled', targetId: id });
 */
export function agentActor(agent: Pick<AuthenticatedAgent, 'agentId' | 'agentName'>): Actor {
  return { type: 'agent', id: agent.agentId, label: agent.agentName, channel: 'api' };
}
