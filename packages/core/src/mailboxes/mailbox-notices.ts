import { listOwnerMailboxes } from '@agent-otp/db';
import type { MailboxNotice } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

/** MAILBOX_FAILING_NOTICE_MINUTES' default: a blip or a server restart tells nobody. */
export const DEFAULT_MAILBOX_FAILING_NOTICE_MS = 5 * 60_000;

/** The states that count toward a failure episode (anything but watching, starting or stopped). */
export function isTroubledMailboxState(state: string): state is 'reconnecting' | 'failing' {
  return state === 'reconnecting' || state === 'failing';
}

/**
 * The notice's words, the same in Telegram and on the dashboard.
 *
 * @example
 * mailboxNoticeText('Work mail', new Date(), 'IMAP login failed (check the user and password)');
 */
export function mailboxNoticeText(name: string, since: Date, lastError: string | null): string {
  const when = `${since.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `Mailbox ${name} has been failing since ${when}: ${lastError ?? 'no error was recorded'}`;
}

/**
 * The owner's mailboxes that have been reconnecting or failing for longer than
 * MAILBOX_FAILING_NOTICE_MINUTES, read from the health columns the running instance writes,
 * so every instance serving the dashboard shows the same notices; a recovered mailbox
 * (`idle`) has none.
 *
 * @example
 * const notices = await listMailboxNotices(ctx, owner.id);
 */
export async function listMailboxNotices(ctx: CoreContext, ownerId: string): Promise<MailboxNotice[]> {
  const thresholdMs = ctx.mailboxFailingNoticeMs ?? DEFAULT_MAILBOX_FAILING_NOTICE_MS;
  const now = ctx.clock.now().getTime();
  const notices: MailboxNotice[] = [];
  for (const row of await listOwnerMailboxes(ctx.database.db, ownerId)) {
    if (!isTroubledMailboxState(row.state) || row.state_since === null) continue;
    const since = new Date(row.state_since);
    if (now - since.getTime() < thresholdMs) continue;
    notices.push({
      mailboxId: row.id,
      name: row.name,
      state: row.state,
      since: since.toISOString(),
      lastError: row.last_error,
      message: mailboxNoticeText(row.name, since, row.last_error),
    });
  }
  return notices;
}
