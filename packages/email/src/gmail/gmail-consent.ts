import { createHash, randomBytes } from 'node:crypto';
import { GmailApi } from './gmail-api.js';
import { GoogleAccessTokens, GoogleAuthError, type GoogleClient, postTokenForm } from './google-oauth.js';

export const GMAIL_READONLY_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';

/** PKCE (RFC 7636, S256): the verifier stays with the relay, the challenge goes to Google. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Google's consent URL for read-only, offline Gmail access with PKCE, used by both the
 * command-line flow (loopback redirect) and the dashboard's "Connect Gmail" (the relay's own
 * callback).
 *
 * @example
 * const url = gmailConsentUrl({ authUrl, clientId, redirectUri, state, challenge });
 */
export function gmailConsentUrl(options: {
  authUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  scope?: string;
}): string {
  const consent = new URL(options.authUrl);
  consent.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope ?? GMAIL_READONLY_SCOPE,
    state: options.state,
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
    // offline + consent: Google only returns a refresh token when both are asked for.
    access_type: 'offline',
    prompt: 'consent',
  }).toString();
  return consent.toString();
}

/** What a completed consent gives the relay: the refresh token (the credential) and the account it reads. */
export interface GmailGrant {
  refreshToken: string;
  scope: string;
  /** The Gmail address, from the account's profile, to name the mailbox. */
  address: string;
}

/**
 * Exchanges an authorization code (with its PKCE verifier) for a refresh token, then asks the
 * Gmail API whose mailbox it opens. Throws {@link GoogleAuthError} naming Google's error code.
 *
 * @example
 * const grant = await redeemGmailCode({ client, apiRoot, code, verifier, redirectUri });
 */
export async function redeemGmailCode(options: {
  client: GoogleClient;
  apiRoot: string;
  code: string;
  verifier: string;
  redirectUri: string;
}): Promise<GmailGrant> {
  const body = await postTokenForm(options.client, {
    grant_type: 'authorization_code',
    code: options.code,
    code_verifier: options.verifier,
    redirect_uri: options.redirectUri,
  });
  if (!body.refresh_token)
    throw new GoogleAuthError(
      'Google returned no refresh token: remove the app’s access in your Google account and connect again',
      true,
    );
  const scope = body.scope ?? GMAIL_READONLY_SCOPE;
  if (!scope.split(' ').includes(GMAIL_READONLY_SCOPE))
    throw new GoogleAuthError(
      'Google did not grant read access to Gmail (the permission was unticked)',
      true,
    );
  const profile = await new GmailApi(
    options.apiRoot,
    new GoogleAccessTokens(options.client, body.refresh_token),
  ).profile();
  if (!profile.emailAddress) throw new GoogleAuthError('the Gmail profile carries no address', false);
  return { refreshToken: body.refresh_token, scope, address: profile.emailAddress };
}
