import type { Actor, Owner } from '@agent-otp/core';
import type { DecisionChannel } from '@agent-otp/shared';

/** The audit actor for an owner acting through a channel. */
export function ownerActor(owner: Owner, channel: DecisionChannel): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel };
}

/**
 * Owner bearer tokens are minted by the local CLI; dashboard sessions say `dashboard`.
 * The channel is derived from the credential (see `ownerAuth`), never taken from the body.
 */
export const OWNER_TOKEN_CHANNEL: DecisionChannel = 'cli';

/**
 * The audit actor for the owner behind this request, through the channel its credential implies.
 *
 * @example
 * await revokeAgent(ctx, { ownerId: c.get('owner').id, agentId, actor: requestOwnerActor(c) });
 */
export function requestOwnerActor(c: {
  get(key: 'owner'): Owner;
  get(key: 'ownerChannel'): DecisionChannel;
}): Actor {
  return ownerActor(c.get('owner'), c.get('ownerChannel'));
}
