import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeGoogleTokens, pkceMatches } from './fake-google-tokens.js';
import { GMAIL_READONLY_SCOPE, readForm, sendJson, sendOAuthError } from './google-wire.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/**
 * GET /o/oauth2/v2/auth for the installed-app (loopback) flow. The user "consents" at once:
 * 302 to redirect_uri with code, state and the granted scope, as Google does after consent.
 * Invalid requests get an HTML error page and no redirect, as on accounts.google.com.
 */
export function handleAuthorize(
  url: URL,
  res: ServerResponse,
  client: OAuthClient,
  tokens: FakeGoogleTokens,
) {
  const q = url.searchParams;
  const page = (status: number, error: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Error</title><p>Access blocked: Authorization Error</p><p>Error ${status}: ${error}</p>`,
    );
  };
  if (q.get('client_id') !== client.clientId) return page(401, 'invalid_client');
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!isLoopback(redirectUri)) return page(400, 'redirect_uri_mismatch');
  if (q.get('response_type') !== 'code') return page(400, 'unsupported_response_type');
  const scope = q.get('scope') ?? '';
  if (!scope.split(' ').includes(GMAIL_READONLY_SCOPE)) return page(400, 'invalid_scope');

  const challenge = q.get('code_challenge') ?? undefined;
  const code = tokens.issueCode({
    redirectUri,
    scope,
    ...(challenge && {
      codeChallenge: challenge,
      codeChallengeMethod: q.get('code_challenge_method') ?? 'plain',
    }),
  });
  const location = new URL(redirectUri);
  const state = q.get('state');
  if (state !== null) location.searchParams.set('state', state);
  location.searchParams.set('code', code);
  location.searchParams.set('scope', scope);
  res.writeHead(302, { location: location.toString() });
  res.end();
}

/** POST /token: authorization_code and refresh_token grants, client auth in the body or HTTP Basic. */
export async function handleToken(
  req: IncomingMessage,
  res: ServerResponse,
  client: OAuthClient,
  tokens: FakeGoogleTokens,
) {
  const form = await readForm(req);
  const basic = parseBasic(req.headers.authorization);
  const clientId = basic?.id ?? form.get('client_id');
  const clientSecret = basic?.secret ?? form.get('client_secret');
  if (clientId !== client.clientId)
    return sendOAuthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
  if (clientSecret !== client.clientSecret) return sendOAuthError(res, 401, 'invalid_client', 'Unauthorized');

  const grantType = form.get('grant_type') ?? '';
  if (grantType === 'refresh_token') {
    const grant = tokens.refreshGrant(form.get('refresh_token') ?? '');
    if (!grant) return sendOAuthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
    const access = tokens.issueAccessToken(grant);
    return sendTokens(res, { access_token: access.token, expires_in: access.expiresIn, scope: grant.scope });
  }
  if (grantType === 'authorization_code') {
    const code = tokens.redeemCode(form.get('code') ?? '');
    if (!code) return sendOAuthError(res, 400, 'invalid_grant', 'Malformed auth code.');
    if (form.get('redirect_uri') !== code.redirectUri) {
      return sendOAuthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
    }
    if (code.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (verifier === null) return sendOAuthError(res, 400, 'invalid_grant', 'Missing code verifier.');
      if (!pkceMatches(verifier, code.codeChallenge, code.codeChallengeMethod)) {
        return sendOAuthError(res, 400, 'invalid_grant', 'Invalid code verifier.');
      }
    }
    const refreshToken = tokens.issueRefreshToken(code.scope);
    const grant = tokens.refreshGrant(refreshToken)!;
    const access = tokens.issueAccessToken(grant);
    return sendTokens(res, {
      access_token: access.token,
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
      scope: code.scope,
    });
  }
  sendOAuthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

function sendTokens(res: ServerResponse, body: Record<string, string | number>) {
  sendJson(res, 200, { ...body, token_type: 'Bearer' }, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

/** Google accepts loopback IP literals and localhost, any port, for desktop clients. */
function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  } catch {
    return false; // not a URL at all
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}
