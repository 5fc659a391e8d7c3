import { ImapFlow } from 'imapflow';

export interface ImapLogin {
  port: number;
  user: string;
  password: string;
}

/**
 * Runs `work` on a fresh, short-lived IMAP connection. A new connection per call keeps the
 * harness independent of the connection under test and survives stop()/start() for free.
 */
async function withConnection<T>(login: ImapLogin, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: login.port,
    secure: false,
    auth: { user: login.user, pass: login.password },
    logger: false,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/** APPENDs without flags (so unread, no \Seen) and returns the UID the server assigned (UIDPLUS). */
export function appendRaw(login: ImapLogin, raw: string | Buffer, mailbox: string): Promise<number> {
  return withConnection(login, async (client) => {
    if (mailbox !== 'INBOX') await client.mailboxCreate(mailbox); // created: false when it exists
    const result = await client.append(mailbox, raw, []);
    if (!result || result.uid === undefined) throw new Error(`APPEND to ${mailbox} returned no UID`);
    return result.uid;
  });
}

/** Reads flags through EXAMINE (read-only), so looking never changes what is looked at. */
export function readFlags(login: ImapLogin, uid: number, mailbox: string): Promise<string[]> {
  return withConnection(login, async (client) => {
    await client.mailboxOpen(mailbox, { readOnly: true });
    const message = await client.fetchOne(String(uid), { flags: true }, { uid: true });
    if (!message) throw new Error(`no message with UID ${uid} in ${mailbox}`);
    return [...(message.flags ?? [])].sort();
  });
}
