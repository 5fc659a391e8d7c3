import { type CoreContext, nowIso } from '@agent-otp/core';
import { selectConnectorCursor, upsertConnectorCursor } from '@agent-otp/db';
import { accountKey } from './account-key.js';
import type { CursorStore } from './cursor-store.js';

/**
 * The store of the connector inside `agent-otp serve`: the relay's own database (table
 * `email_connector_state`, accounts keyed by hash).
 *
 * @example
 * const store = databaseCursorStore(ctx, 'imap');
 */
export function databaseCursorStore(ctx: CoreContext, kind: 'imap' | 'gmail'): CursorStore {
  return {
    load: (account) => selectConnectorCursor(ctx.database.db, accountKey(account)),
    save: (account, cursor) =>
      upsertConnectorCursor(ctx.database.db, {
        accountKey: accountKey(account),
        kind,
        cursor,
        now: nowIso(ctx),
      }),
  };
}
