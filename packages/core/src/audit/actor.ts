import type { DecisionChannel } from '@agent-otp/shared';

/** Who did something, and through which channel; recorded with every audit event. */
export interface Actor {
  type: 'owner' | 'agent' | 'source' | 'system' | 'policy';
  id: string | null;
  /** Human-readable: an owner's email, an agent's name, a policy name. */
  label: string;
  channel: DecisionChannel;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'system', channel: 'system' };
