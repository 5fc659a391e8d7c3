import { createHash, randomBytes } from 'node:crypto';

interface AuthCode {
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

interface Grant {
  scope: string;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

export type AccessCheck = { ok: true; scope: string } | { ok: false };

/**
 * Authorization codes, refresh tokens and access tokens of the fake Google account.
 * Shapes mimic Google's (`4/…`, `1//…`, `ya29.…`) so log redaction can be tested on them.
 */
export class FakeGoogleTokens {
  accessTokenTtlSeconds = 3599;
  readonly #codes = new Map<string, AuthCode>();
  readonly #refresh = new Map<string, Grant>();
  readonly #access = new Map<string, AccessToken>();

  issueCode(code: AuthCode): string {
    const value = `4/0${random(32)}`;
    this.#codes.set(value, code);
    return value;
  }

  /** Codes are single-use: the first redemption deletes them, valid or not. */
  redeemCode(value: string): AuthCode | undefined {
    const code = this.#codes.get(value);
    this.#codes.delete(value);
    return code;
  }

  issueRefreshToken(scope: string): string {
    const value = `1//0${random(48)}`;
    this.#refresh.set(value, { scope, revoked: false });
    return value;
  }

  refreshGrant(value: string): Grant | undefined {
    const grant = this.#refresh.get(value);
    return grant && !grant.revoked ? grant : undefined;
  }

  issueAccessToken(grant: Grant): { token: string; expiresIn: number } {
    const token = `ya29.a0${random(96)}`;
    const expiresIn = this.accessTokenTtlSeconds;
    this.#access.set(token, { grant, expiresAt: Date.now() + expiresIn * 1000 });
    return { token, expiresIn };
  }

  checkAccess(token: string): AccessCheck {
    const access = this.#access.get(token);
    if (!access || access.grant.revoked || Date.now() >= access.expiresAt) return { ok: false };
    return { ok: true, scope: access.grant.scope };
  }

  /** Like the user removing the app's access: every grant, and the access tokens minted from it, die. */
  revokeAll(): void {
    for (const grant of this.#refresh.values()) grant.revoked = true;
  }
}

/** RFC 7636: S256 is base64url(sha256(verifier)); `plain` compares verbatim. */
export function pkceMatches(verifier: string, challenge: string, method: string | undefined): boolean {
  if (method === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
  return verifier === challenge;
}

function random(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}
