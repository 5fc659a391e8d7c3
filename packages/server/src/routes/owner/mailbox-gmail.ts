import { addGmailMailbox } from '@agent-otp/core';
import { AppError, GmailConnectStartSchema } from '@agent-otp/shared';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { declareRoute, openapiRoute, plainRoute } from '../../declare-route.js';
import type { AppEnv, ServerServices } from '../../env.js';
import { GMAIL_CONSENT_COOKIE, GMAIL_CONSENT_TTL_MS } from '../../mailboxes/gmail-consent-state.js';
import type { Router } from '../../openapi-app.js';

const CALLBACK_PATH = '/api/v1/mailboxes/gmail/callback';
const NOT_CONFIGURED =
  'Connect Gmail is not set up on this relay: its operator must set GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET (a Google OAuth client whose redirect URI is this relay’s /api/v1/mailboxes/gmail/callback)';

const startRoute = declareRoute({
  method: 'post',
  path: '/api/v1/mailboxes/gmail/start',
  operationId: 'startGmailConnect',
  tags: ['Owner'],
  summary: 'Start connecting a Gmail mailbox: the Google consent page to open in this browser',
  description:
    'Returns Google’s consent page for read-only Gmail access (OAuth with PKCE, the same flow as `agent-otp email:gmail-auth`) and sets a short-lived cookie that ties the consent to this browser. After consent Google sends the browser to `/api/v1/mailboxes/gmail/callback`, which stores the mailbox (its refresh token encrypted) and returns to the Sources page. The state expires after 10 minutes and works once.',
  errors: { CONFLICT: NOT_CONFIGURED },
  credential: 'owner',
  responses: {
    200: {
      description: 'The consent page to open.',
      content: { 'application/json': { schema: GmailConnectStartSchema } },
    },
  },
});

/** The relay's own callback, which the operator registers as the OAuth client's redirect URI. */
function redirectUri(services: ServerServices): string {
  return `${services.ctx.publicUrl}${CALLBACK_PATH}`;
}

/** A page for the owner's browser when the consent cannot complete (text escaped; links back to Sources). */
function consentPage(c: Context<AppEnv>, status: 400 | 404 | 502, message: string) {
  const escaped = message.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return c.html(
    `<!doctype html><meta charset="utf-8"><title>Agent OTP: Connect Gmail</title><h1>Gmail was not connected</h1><p>${escaped}</p><p><a href="/sources">Back to Sources</a></p>`,
    status,
  );
}

/**
 * "Connect Gmail" from the dashboard: the start (owner credential) and Google's redirect back
 * (public, checked by its sealed state and the browser cookie), which stores the mailbox and
 * pokes the supervisor so its connector starts at once.
 */
export function registerOwnerGmailConnect(app: Router, services: ServerServices) {
  openapiRoute(app, services, startRoute, async (c) => {
    const connect = services.gmailConnect;
    if (!connect) throw new AppError('CONFLICT', NOT_CONFIGURED);
    const { gmailConsentUrl, pkcePair } = await import('@agent-otp/email');
    const owner = c.get('owner');
    const { verifier, challenge } = pkcePair();
    const { state, browserNonce } = connect.states.begin({
      ownerId: owner.id,
      ownerEmail: owner.email,
      channel: c.get('ownerChannel'),
      verifier,
    });
    // Lax, not Strict: it must come back on Google's top-level redirect to the callback.
    setCookie(c, GMAIL_CONSENT_COOKIE, browserNonce, {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'Lax',
      secure: services.ctx.publicUrl.startsWith('https:'),
      maxAge: GMAIL_CONSENT_TTL_MS / 1000,
    });
    const authorizeUrl = gmailConsentUrl({
      authUrl: connect.authUrl,
      clientId: connect.client.clientId,
      redirectUri: redirectUri(services),
      state,
      challenge,
    });
    return c.json({ authorizeUrl }, 200);
  });

  plainRoute(app, services, { method: 'get', path: CALLBACK_PATH, credential: 'public' }, async (c) => {
    const connect = services.gmailConnect;
    if (!connect) return consentPage(c, 404, NOT_CONFIGURED);
    const state = c.req.query('state');
    if (!state) return consentPage(c, 400, 'The answer from Google carries no state.');
    const consent = connect.states.finish(state, getCookie(c, GMAIL_CONSENT_COOKIE));
    deleteCookie(c, GMAIL_CONSENT_COOKIE, { path: CALLBACK_PATH });
    if (typeof consent === 'string') return consentPage(c, 400, consent);
    const refused = c.req.query('error');
    if (refused)
      return consentPage(
        c,
        400,
        `Google did not grant access (${refused.slice(0, 64)}); nothing was connected.`,
      );
    const code = c.req.query('code');
    if (!code) return consentPage(c, 400, 'The answer from Google carries no authorization code.');

    const { GmailApiError, GoogleAuthError, redeemGmailCode } = await import('@agent-otp/email');
    let grant: Awaited<ReturnType<typeof redeemGmailCode>>;
    try {
      grant = await redeemGmailCode({
        client: connect.client,
        apiRoot: connect.client.apiRoot,
        code,
        verifier: consent.verifier,
        redirectUri: redirectUri(services),
      });
    } catch (error) {
      if (!(error instanceof GoogleAuthError || error instanceof GmailApiError)) throw error;
      services.logger.warn({ err: { message: error.message } }, 'gmail connect: Google refused to finish');
      return consentPage(c, 502, `Google refused to finish the connection: ${error.message}.`);
    }
    await addGmailMailbox(services.ctx, {
      ownerId: consent.ownerId,
      address: grant.address,
      refreshToken: grant.refreshToken,
      actor: { type: 'owner', id: consent.ownerId, label: consent.ownerEmail, channel: consent.channel },
    });
    services.mailboxes?.poke();
    return c.redirect('/sources', 303);
  });
}
