import type { Config } from '@agent-otp/config';
import { type CoreContext, ensureDefaultOwner } from '@agent-otp/core';
import { AppError, type Mailbox, OPERATOR_MAILBOX_ID } from '@agent-otp/shared';
import type { ConnectorState, ConnectorStates } from '../connector-states.js';

/** The operator's mailbox (IMAP_HOST) as the default owner sees it: read-only. */
export interface OperatorMailbox {
  /** The owner whose requests it serves: the default owner when the relay started. */
  ownerId(): Promise<string | undefined>;
  view(): Mailbox;
}

const STATES: Record<ConnectorState, Mailbox['health']['state']> = {
  starting: 'connecting',
  ready: 'idle',
  failing: 'failing',
  stopped: 'stopped',
};

/**
 * The env-configured IMAP mailbox, listed for the default owner beside the mailboxes they
 * connected, so they see every mailbox that reads their codes. Its health is this
 * instance's connector state (every instance runs it); it is not stored, has no row, and
 * no password is ever shown. Undefined without IMAP_HOST.
 *
 * @example
 * services.operatorMailbox = operatorMailbox(config, ctx, connectors);
 */
export function operatorMailbox(
  config: Config,
  ctx: CoreContext,
  connectors: ConnectorStates,
): OperatorMailbox | undefined {
  const imap = config.email.imap;
  if (!imap) return undefined;
  const startedAt = ctx.clock.now().toISOString();
  // Resolved at start, as the IMAP connector resolves the owner it serves: later the first
  // account may have claimed the default owner, or several owners exist (then there is no
  // single default owner to ask for, and the connector did not start either).
  const ownerId = ensureDefaultOwner(ctx).then(
    (owner) => owner.id,
    () => undefined,
  );
  return {
    ownerId: () => ownerId,
    view: () => ({
      id: OPERATOR_MAILBOX_ID,
      kind: 'imap',
      name: 'Configured by the operator',
      settings: {
        host: imap.host,
        port: imap.port,
        // IMAP_TLS=false connects without TLS, upgrading only when the server offers STARTTLS:
        // shown as the weaker of the two.
        tls: imap.tls ? 'implicit' : 'none',
        login: imap.user,
        folder: imap.mailbox,
      },
      hasCredential: true,
      health: {
        state: STATES[connectors.all().get('imap') ?? 'stopped'],
        stateSince: null,
        lastError: null,
        lastMessageAt: null,
        reconnectAttempts: 0,
        updatedAt: null,
      },
      configuredBy: 'operator',
      createdAt: startedAt,
      updatedAt: startedAt,
    }),
  };
}

export const OPERATOR_MAILBOX_CONFLICT =
  'this mailbox is configured by the relay’s operator (IMAP_HOST and the other IMAP_* settings): it can be changed only in the relay’s configuration';

/** Editing, testing or removing the operator's mailbox: a clear 409, never a 404. */
export function refuseOperatorMailbox(mailboxId: string): void {
  if (mailboxId === OPERATOR_MAILBOX_ID) throw new AppError('CONFLICT', OPERATOR_MAILBOX_CONFLICT);
}
