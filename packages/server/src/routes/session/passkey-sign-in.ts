import { finishPasskeySignIn, newPasskeyFlowSecret, startPasskeySignIn } from '@agent-otp/core';
import { AppError, PasskeyOptions, PasskeySignInBody, SessionInfo } from '@agent-otp/shared';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { clientIp } from '../../middleware/client-ip.js';
import { setSessionCookies } from '../../middleware/session-cookies.js';
import type { Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/**
 * The sign-in challenge is bound to this httpOnly cookie: an answer is accepted only from
 * the browser the challenge was handed to, and the cookie lives as long as the challenge.
 */
const PASSKEY_FLOW_COOKIE = 'agent_otp_passkey_flow';
const FLOW_COOKIE_SECONDS = 120;

const FORBIDDEN_EXAMPLE =
  'passkeys need a secure address: PUBLIC_URL is http://relay.lan:8080; set it to the https address owners open (http works only for localhost)';

const routes = {
  options: declareRoute({
    method: 'post',
    path: '/api/v1/session/passkey/options',
    operationId: 'startPasskeySignIn',
    credential: 'public',
    tags: ['Dashboard session'],
    summary: 'Start signing in with a passkey: WebAuthn options (username-less) and a challenge cookie',
    description:
      'Returns options for `navigator.credentials.get()` with no allow-list, so the browser offers the passkeys it holds for this relay; the passkey chosen names the owner. The challenge is single-use, expires after 120 s and is bound to an httpOnly cookie set here. Passkeys need `PUBLIC_URL` to be an https address (or http://localhost).',
    errors: {
      FORBIDDEN: FORBIDDEN_EXAMPLE,
      RATE_LIMITED: 'too many passkey sign-ins in progress; retry in a minute',
    },
    responses: { 200: { description: 'Options for the browser.', content: json(PasskeyOptions) } },
  }),
  signIn: declareRoute({
    method: 'post',
    path: '/api/v1/session/passkey',
    operationId: 'signInWithPasskey',
    credential: 'public',
    tags: ['Dashboard session'],
    summary: 'Sign in with a passkey; sets the session and CSRF cookies',
    description:
      "Checks the browser's answer to the challenge from `POST /api/v1/session/passkey/options` (same browser, within 120 s, used once): origin and RP ID from `PUBLIC_URL`, user verification, signature and signature counter. Recorded in the audit log as `owner.signed_in` with `method: passkey`.",
    errors: {
      UNAUTHORIZED:
        'this passkey answer is for a challenge the relay did not issue or that was already used; try again',
      FORBIDDEN: FORBIDDEN_EXAMPLE,
    },
    request: { body: { required: true, content: json(PasskeySignInBody) } },
    responses: { 200: { description: 'Signed in.', content: json(SessionInfo) } },
  }),
};

function flowCookieOptions(publicUrl: string) {
  return {
    path: '/api/v1/session/passkey',
    sameSite: 'Strict' as const,
    secure: publicUrl.startsWith('https:'),
    httpOnly: true,
  };
}

function readFlowCookie(c: Context): string | undefined {
  const value = getCookie(c, PASSKEY_FLOW_COOKIE);
  return value && value.length <= 200 ? value : undefined;
}

/** `/api/v1/session/passkey`: username-less sign-in with a passkey. */
export function registerPasskeySignIn(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.options, async (c) => {
    const flowSecret = newPasskeyFlowSecret();
    const options = await startPasskeySignIn(services.ctx, flowSecret);
    setCookie(c, PASSKEY_FLOW_COOKIE, flowSecret, {
      ...flowCookieOptions(services.ctx.publicUrl),
      maxAge: FLOW_COOKIE_SECONDS,
    });
    return c.json({ options }, 200);
  });

  openapiRoute(app, services, routes.signIn, async (c) => {
    const flowSecret = readFlowCookie(c);
    if (!flowSecret)
      throw new AppError('UNAUTHORIZED', 'no passkey sign-in in progress in this browser; start again');
    deleteCookie(c, PASSKEY_FLOW_COOKIE, flowCookieOptions(services.ctx.publicUrl));
    const { response } = c.req.valid('json');
    const session = await finishPasskeySignIn(services.ctx, {
      flowSecret,
      response,
      ip: clientIp(c, services.web.trustProxy),
      userAgent: c.req.header('user-agent'),
    });
    setSessionCookies(c, session, services.ctx.publicUrl, services.ctx.clock.now());
    return c.json({ owner: session.owner, expiresAt: session.expiresAt }, 200);
  });
}
