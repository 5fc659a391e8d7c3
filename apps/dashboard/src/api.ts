/** The CSRF cookie the relay sets at sign-in; echoed in a header on state-changing calls. */
const CSRF_COOKIE = 'agent_otp_csrf';
const CSRF_HEADER = 'x-csrf-token';

/** An error answer from the relay, with its code from the closed list and its message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Fired when the relay says we are not signed in, so the app can go to the sign-in page. */
export const SIGNED_OUT_EVENT = 'agent-otp:signed-out';

function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the relay's API (`/api/v1` + path) with the session cookie, and the CSRF header on
 * anything but GET. Resolves with the JSON body, untyped: pages call the typed
 * `operations` (operations.ts), which name each body by its route's schema. Rejects with an
 * {@link ApiError}.
 *
 * @example
 * const body: unknown = await api('/agents');
 */
export async function api(path: string, options: { method?: Method; body?: unknown } = {}): Promise<unknown> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the relay. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const failure = new ApiError(
      response.status,
      error?.code ?? 'HTTP_ERROR',
      error?.message ?? `The relay answered HTTP ${response.status}.`,
    );
    if (response.status === 401 && !path.startsWith('/session') && !path.startsWith('/setup'))
      window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
    throw failure;
  }
  return body;
}

/** A message for people: the relay's own message when it sent one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
