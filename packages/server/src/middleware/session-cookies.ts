import type { BrowserSession } from '@agent-otp/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie: httpOnly, so page scripts (and any injected script) cannot read it. */
export const SESSION_COOKIE = 'agent_otp_session';
/** The CSRF cookie: readable by the dashboard, which echoes it in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'agent_otp_csrf';
/** The header the dashboard sends the CSRF token in on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** Cookies are `Secure` whenever the public URL is https (behind a TLS-terminating proxy too). */
function cookieOptions(publicUrl: string, maxAge: number) {
  return {
    path: '/',
    sameSite: 'Strict' as const,
    secure: publicUrl.startsWith('https:'),
    maxAge,
  };
}

/**
 * Sets the session and CSRF cookies for a new dashboard session.
 *
 * @example
 * setSessionCookies(c, session, services.ctx.publicUrl, services.ctx.clock.now());
 */
export function setSessionCookies(c: Context, session: BrowserSession, publicUrl: string, now: Date): void {
  const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000));
  setCookie(c, SESSION_COOKIE, session.token, { ...cookieOptions(publicUrl, maxAge), httpOnly: true });
  setCookie(c, CSRF_COOKIE, session.csrfToken, cookieOptions(publicUrl, maxAge));
}

/** Removes both cookies (sign-out, or a session that no longer works). */
export function clearSessionCookies(c: Context, publicUrl: string): void {
  const options = { path: '/', secure: publicUrl.startsWith('https:'), sameSite: 'Strict' as const };
  deleteCookie(c, SESSION_COOKIE, { ...options, httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, options);
}

/** The session cookie's value, if the browser sent one. */
export function readSessionCookie(c: Context): string | undefined {
  const value = getCookie(c, SESSION_COOKIE);
  return value && value.length <= 200 ? value : undefined;
}
