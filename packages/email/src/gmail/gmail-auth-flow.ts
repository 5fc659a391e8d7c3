import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GMAIL_READONLY_SCOPE, gmailConsentUrl, pkcePair } from './gmail-consent.js';
import { GoogleAuthError, type GoogleClient, postTokenForm } from './google-oauth.js';

export { GMAIL_READONLY_SCOPE };

const CALLBACK_PATH = '/oauth2callback';

export interface GmailAuthOptions extends GoogleClient {
  authUrl: string;
  scope?: string;
  /** Shown to the owner: open it in a browser and consent. */
  onConsentUrl(url: string): void;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
}

export interface GmailAuthResult {
  refreshToken: string;
  scope: string;
}

function page(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
  });
  res.end(`<!doctype html><meta charset="utf-8"><title>Agent OTP</title><p>${text}</p>`);
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Google's OAuth2 flow for installed apps: a one-shot redirect listener on 127.0.0.1 (random
 * port), PKCE (S256) and a random `state`, the consent URL handed to `onConsentUrl`, then the
 * code exchanged for a refresh token. Callbacks with a wrong state are refused and ignored, so
 * another local process cannot inject its own code.
 *
 * @example
 * const { refreshToken } = await runGmailAuthFlow({ clientId, clientSecret, authUrl, tokenUrl,
 *   onConsentUrl: (url) => console.log(`Open ${url}`) });
 */
export async function runGmailAuthFlow(options: GmailAuthOptions): Promise<GmailAuthResult> {
  const scope = options.scope ?? GMAIL_READONLY_SCOPE;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(24).toString('base64url');
  let settle: { resolve(value: GmailAuthResult): void; reject(error: Error): void } | undefined;
  const outcome = new Promise<GmailAuthResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let redirectUri = '';
  let exchanging = false;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found.');
    if (!sameSecret(url.searchParams.get('state') ?? '', state))
      return page(
        res,
        400,
        'This sign-in response does not belong to this session (state mismatch); ignored.',
      );
    if (exchanging) return page(res, 409, 'This sign-in was already completed.');
    const error = url.searchParams.get('error');
    if (error) {
      page(res, 400, 'Google did not grant access. You can close this window.');
      return settle?.reject(new GoogleAuthError(`consent was not granted: ${error}`, true));
    }
    const code = url.searchParams.get('code');
    if (!code) return page(res, 400, 'The response carries no authorization code.');
    exchanging = true;
    postTokenForm(options, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    }).then(
      (body) => {
        if (!body.refresh_token) {
          page(
            res,
            502,
            'Google returned no refresh token. Remove the app’s access in your Google account and retry.',
          );
          return settle?.reject(new GoogleAuthError('Google returned no refresh token', true));
        }
        page(res, 200, 'Agent OTP can now read your Gmail inbox. You can close this window.');
        settle?.resolve({ refreshToken: body.refresh_token, scope: body.scope ?? scope });
      },
      (failure: Error) => {
        page(res, 502, 'Exchanging the authorization code failed; see the terminal.');
        settle?.reject(failure);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const consent = gmailConsentUrl({
    authUrl: options.authUrl,
    clientId: options.clientId,
    redirectUri,
    state,
    challenge,
    scope,
  });
  const timer = setTimeout(
    () => settle?.reject(new GoogleAuthError('no answer from the browser in time', false)),
    options.timeoutMs ?? 300_000,
  );
  try {
    options.onConsentUrl(consent);
    return await outcome;
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}
