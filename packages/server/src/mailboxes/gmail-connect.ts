import type { CoreContext } from '@agent-otp/core';
import type { GmailConfig } from '@agent-otp/shared';
import { GmailConsentStates } from './gmail-consent-state.js';

/** The operator's Google OAuth client and Google's endpoints: what a Gmail mailbox's connector needs besides its refresh token. */
export interface GmailMailboxClient {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  apiRoot: string;
  pollSeconds: number;
}

/** "Connect Gmail" from the dashboard: the client, Google's consent page, and the consent states. */
export interface GmailConnect {
  client: GmailMailboxClient;
  authUrl: string;
  states: GmailConsentStates;
}

/**
 * The OAuth client owners' Gmail mailboxes run with, when the operator configured one
 * (GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET).
 *
 * @example
 * const client = gmailMailboxClient(config.email.gmail);
 */
export function gmailMailboxClient(gmail: GmailConfig): GmailMailboxClient | undefined {
  if (!gmail.clientId || !gmail.clientSecret) return undefined;
  return {
    clientId: gmail.clientId,
    clientSecret: gmail.clientSecret,
    tokenUrl: gmail.tokenUrl,
    apiRoot: gmail.apiRoot,
    pollSeconds: gmail.pollSeconds,
  };
}

/**
 * Offered only with an OAuth client and a credential key to seal refresh tokens with.
 *
 * @example
 * const gmailConnect = gmailConnectFromConfig(config.email.gmail, ctx);
 */
export function gmailConnectFromConfig(gmail: GmailConfig, ctx: CoreContext): GmailConnect | undefined {
  const client = gmailMailboxClient(gmail);
  if (!client || !ctx.mailboxCredentials) return undefined;
  return {
    client,
    authUrl: gmail.authUrl,
    states: new GmailConsentStates(ctx.mailboxCredentials, () => ctx.clock.now().getTime()),
  };
}
