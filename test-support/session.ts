import { type CallResult, call } from './http.js';

/** A dashboard session as a browser holds it: the cookies and the CSRF token it echoes. */
export interface BrowserCookies {
  /** `Cookie:` header value with the session and CSRF cookies. */
  cookie: string;
  csrf: string;
  /** The raw Set-Cookie lines of the response that created the session. */
  setCookie: string[];
}

/** Reads the session cookies out of a sign-in or setup response. */
export function cookiesFrom(headers: Headers): BrowserCookies {
  const setCookie = headers.getSetCookie();
  const value = (name: string) =>
    setCookie
      .find((line) => line.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.slice(name.length + 1) ?? '';
  const session = value('agent_otp_session');
  const csrf = value('agent_otp_csrf');
  return { cookie: `agent_otp_session=${session}; agent_otp_csrf=${csrf}`, csrf, setCookie };
}

/** Signs in through the API like the dashboard does. */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ res: CallResult; cookies: BrowserCookies }> {
  const res = await call(baseUrl, '/api/v1/session', { json: { email, password }, headers });
  return { res, cookies: cookiesFrom(res.headers) };
}

/**
 * One API call as the dashboard makes it: the cookies, and the CSRF header unless
 * `csrf: false` (or another value) says otherwise.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read bodies field by field.
export function asBrowser<T = any>(
  baseUrl: string,
  cookies: BrowserCookies,
  path: string,
  options: { method?: string; json?: unknown; csrf?: string | false } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { cookie: cookies.cookie };
  const csrf = options.csrf === undefined ? cookies.csrf : options.csrf;
  if (csrf !== false) headers['x-csrf-token'] = csrf;
  return call<T>(baseUrl, path, {
    headers,
    ...(options.method ? { method: options.method } : {}),
    ...(options.json === undefined ? {} : { json: options.json }),
  });
}
