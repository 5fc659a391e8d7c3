import {
  type ConnectorCursor,
  type CoreContext,
  readConnectorCursor,
  saveConnectorCursor,
} from '@agent-otp/core';

export type { ConnectorCursor };

/** Where a connector remembers how far it read (UIDVALIDITY + UID, or a Gmail history id). */
export interface CursorStore {
  load(account: string): Promise<ConnectorCursor | undefined>;
  save(account: string, cursor: ConnectorCursor): Promise<void>;
}

/**
 * The database-backed store of the connector inside `agent-otp serve` (table
 * `email_connector_state`, accounts keyed by hash).
 *
 * @example
 * const store = databaseCursorStore(ctx, 'imap');
 */
export function databaseCursorStore(ctx: CoreContext, kind: 'imap' | 'gmail'): CursorStore {
  return {
    load: (account) => readConnectorCursor(ctx, account),
    save: (account, cursor) => saveConnectorCursor(ctx, account, kind, cursor),
  };
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
