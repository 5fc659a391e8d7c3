import { GmailMailboxSettingsSchema, type Mailbox } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { storeNewMailbox } from './store-new-mailbox.js';

/**
 * Connects a Gmail mailbox its owner consented to in the browser: the refresh token is sealed
 * with the credential key (bound to the new row), and the mailbox acts as its own capture
 * source, like an IMAP mailbox, so its codes reach this owner's requests only.
 *
 * @example
 * const mailbox = await addGmailMailbox(ctx, { ownerId, address: 'me@gmail.com', refreshToken, actor });
 */
export async function addGmailMailbox(
  ctx: CoreContext,
  options: { ownerId: string; address: string; refreshToken: string; actor: Actor },
): Promise<Mailbox> {
  const settings = GmailMailboxSettingsSchema.parse({ address: options.address });
  return storeNewMailbox(ctx, {
    ownerId: options.ownerId,
    actor: options.actor,
    kind: 'gmail',
    name: `Gmail ${settings.address}`,
    settings,
    secret: options.refreshToken,
  });
}
