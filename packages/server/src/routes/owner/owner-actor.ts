import type { Actor, Owner } from '@agent-otp/core';
import type { DecisionChannel } from '@agent-otp/shared';

/** The audit actor for an owner acting through a channel. */
export function ownerActor(owner: Owner, channel: DecisionChannel): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel };
}

/**
 * Owner bearer tokens are minted by the local CLI; dashboard sessions will say `dashboard`.
 * The channel is derived from the credential, never taken from the request body.
 */
export const OWNER_TOKEN_CHANNEL: DecisionChannel = 'cli';
