import { z } from 'zod';
import { Timestamp } from './common.js';
import { MailboxIdSchema } from './mailboxes.js';

/**
 * One of the owner's mailboxes that has been failing (or reconnecting) for longer than the
 * relay's MAILBOX_FAILING_NOTICE_MINUTES: the dashboard shows it as a banner until the
 * mailbox recovers or is removed.
 */
export const MailboxNoticeSchema = z
  .object({
    mailboxId: MailboxIdSchema,
    name: z.string(),
    state: z.enum(['reconnecting', 'failing']),
    since: Timestamp.meta({ description: 'When the mailbox entered this state.' }),
    lastError: z.string().nullable().meta({ description: 'The last error in words; never a password.' }),
    message: z.string().meta({ description: 'The notice in words, as Telegram sends it.' }),
  })
  .meta({ id: 'MailboxNotice' });
export type MailboxNotice = z.infer<typeof MailboxNoticeSchema>;

export const MailboxNoticeListSchema = z.object({ notices: z.array(MailboxNoticeSchema) }).meta({
  id: 'MailboxNoticeList',
  example: {
    notices: [
      {
        mailboxId: 'mbx_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
        name: 'Work mail',
        state: 'failing',
        since: '2026-01-05T09:30:02.000Z',
        lastError: 'IMAP login failed (check the user and password)',
        message:
          'Mailbox Work mail has been failing since 2026-01-05 09:30 UTC: IMAP login failed (check the user and password)',
      },
    ],
  },
});
export type MailboxNoticeList = z.infer<typeof MailboxNoticeListSchema>;
