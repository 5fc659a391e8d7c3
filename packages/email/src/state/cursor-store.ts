/**
 * Where a mailbox connector stopped reading, so a restart resumes instead of re-reading the
 * mailbox: IMAP's UIDVALIDITY + last UID, or Gmail's last history id.
 */
export type ConnectorCursor = Record<string, string | number>;

/** Where a connector remembers how far it read (UIDVALIDITY + UID, or a Gmail history id). */
export interface CursorStore {
  load(account: string): Promise<ConnectorCursor | undefined>;
  save(account: string, cursor: ConnectorCursor): Promise<void>;
}

/** A store that remembers nothing past the process (look-back still covers a restart). */
export function memoryCursorStore(): CursorStore {
  const cursors = new Map<string, ConnectorCursor>();
  return {
    load: async (account) => cursors.get(account),
    save: async (account, cursor) => {
      cursors.set(account, { ...cursor });
    },
  };
}
