import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { MailHeaders, MailReader, MailRef } from '../capture/mail-types.js';

/** A message larger than this is read only this far: codes sit at the top, attachments below. */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

function internalDateOf(message: FetchMessageObject): Date | undefined {
  const value = message.internalDate;
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Reads one mailbox over the connector's current IMAP connection. Headers come from the
 * ENVELOPE; the body with `BODY.PEEK[]` (imapflow's `source`), which never sets \Seen, on a
 * mailbox opened read-only (EXAMINE), which cannot change flags at all.
 *
 * @example
 * const reader = imapReader(() => client, 'INBOX');
 */
export function imapReader(client: () => ImapFlow | undefined, mailbox: string): MailReader {
  const connected = () => {
    const current = client();
    if (!current?.usable) throw new Error('IMAP connection is down');
    return current;
  };
  return {
    async headers(ref: MailRef): Promise<MailHeaders | undefined> {
      const message = await connected().fetchOne(
        ref.id,
        { uid: true, envelope: true, internalDate: true },
        { uid: true },
      );
      if (!message) return undefined;
      const sender = message.envelope?.from?.[0]?.address ?? '';
      return {
        from: sender,
        subject: message.envelope?.subject || undefined,
        receivedAt: internalDateOf(message) ?? ref.receivedAt ?? new Date(),
      };
    },
    async raw(ref: MailRef): Promise<Buffer | undefined> {
      const message = await connected().fetchOne(
        ref.id,
        { uid: true, source: { maxLength: MAX_SOURCE_BYTES } },
        { uid: true },
      );
      return message ? message.source : undefined;
    },
    async batch(work) {
      const lock = await connected().getMailboxLock(mailbox, { readOnly: true });
      try {
        return await work();
      } finally {
        lock.release();
      }
    },
  };
}

/** UIDs and receipt times of a range (`43:*`), newest last; nothing else is fetched. */
export async function listArrivals(client: ImapFlow, range: string, afterUid: number) {
  const messages = await client.fetchAll(range, { uid: true, internalDate: true }, { uid: true });
  return messages
    .filter((message) => message.uid > afterUid)
    .sort((a, b) => a.uid - b.uid)
    .map((message) => ({ id: String(message.uid), uid: message.uid, receivedAt: internalDateOf(message) }));
}
