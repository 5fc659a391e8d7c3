import type { CoreContext } from '@agent-otp/core';
import type { GmailConfig } from '@agent-otp/shared';
import { GmailConsentStates } from './gmail-consent-state.js';

/** "Connect Gmail" from the dashboard: the operator's OAuth client, Google's endpoints, and the consent states. */
export interface GmailConnect {
  client: { clientId: string; clientSecret: string; tokenUrl: string };
  authUrl: string;
  apiRoot: string;
  states: GmailConsentStates;
}

/**
 * Offered only when the operator configured a Google OAuth client (GMAIL_CLIENT_ID and
 * GMAIL_CLIENT_SECRET) and the relay has a credential key to seal refresh tokens with.
 *
 * @example
 * const gmailConnect = gmailConnectFromConfig(config.email.gmail, ctx);
 */
export function gmailConnectFromConfig(gmail: GmailConfig, ctx: CoreContext): GmailConnect | undefined {
  if (!gmail.clientId || !gmail.clientSecret || !ctx.mailboxCredentials) return undefined;
  return {
    client: { clientId: gmail.clientId, clientSecret: gmail.clientSecret, tokenUrl: gmail.tokenUrl },
    authUrl: gmail.authUrl,
    apiRoot: gmail.apiRoot,
    states: new GmailConsentStates(ctx.mailboxCredentials, () => ctx.clock.now().getTime()),
  };
}
