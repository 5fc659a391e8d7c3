/** Google's answer to a token request, as far as the connector reads it. */
interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** Google refused the grant (`invalid_grant`: revoked or expired): the owner must consent again. */
export class GoogleAuthError extends Error {
  override readonly name = 'GoogleAuthError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface GoogleClient {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

/**
 * POSTs one form to Google's token endpoint and returns its JSON, or throws a
 * {@link GoogleAuthError} that names the OAuth error code (never a token).
 *
 * @example
 * const body = await postTokenForm(client, { grant_type: 'refresh_token', refresh_token });
 */
export async function postTokenForm(
  client: GoogleClient,
  fields: Record<string, string>,
): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetch(client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        ...fields,
      }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new GoogleAuthError(`Google token endpoint unreachable (${(error as Error).name})`, false);
  }
  const body = (await response.json().catch(() => ({}))) as TokenResponse;
  if (!response.ok || body.error) {
    const code = body.error ?? `HTTP ${response.status}`;
    const permanent = ['invalid_grant', 'invalid_client', 'unauthorized_client'].includes(code);
    throw new GoogleAuthError(
      `Google refused the token request: ${code}${permanent ? ' (run `agent-otp email:gmail-auth` again)' : ''}`,
      permanent,
    );
  }
  return body;
}

/**
 * Access tokens from a refresh token, cached until a minute before they expire; `invalidate()`
 * after a 401 forces a fresh one.
 *
 * @example
 * const tokens = new GoogleAccessTokens(client, refreshToken);
 * const accessToken = await tokens.get();
 */
export class GoogleAccessTokens {
  #cached: { token: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    private readonly client: GoogleClient,
    private readonly refreshToken: string,
  ) {}

  async get(): Promise<string> {
    if (this.#cached && Date.now() < this.#cached.expiresAt) return this.#cached.token;
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  invalidate(): void {
    this.#cached = undefined;
  }

  async #refresh(): Promise<string> {
    const body = await postTokenForm(this.client, {
      grant_type: 'refresh_token',
      refresh_token: this.refreshToken,
    });
    if (!body.access_token) throw new GoogleAuthError('Google sent no access token', false);
    // Renew a minute early (half the lifetime for short-lived tokens) so no call races expiry.
    const seconds = body.expires_in ?? 3600;
    const lifetime = (seconds - Math.min(60, seconds / 2)) * 1000;
    this.#cached = { token: body.access_token, expiresAt: Date.now() + lifetime };
    return body.access_token;
  }
}
