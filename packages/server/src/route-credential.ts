import type { MiddlewareHandler } from 'hono';
import type { AppEnv, ServerServices } from './env.js';
import { agentAuth, ownerAuth, sessionAuth, sourceAuth } from './middleware/auth.js';
import { SMS_SCHEMES, type SmsScheme, smsSignatureAuth } from './middleware/sms-signature-auth.js';

/**
 * A provider that calls the relay with its own signature scheme; such routes are not in
 * `/openapi.json` because only the provider calls them.
 * - `telegram`: the route hands the raw request to the bot, which checks the
 *   `X-Telegram-Bot-Api-Secret-Token` header in constant time and answers 401 without it.
 * - the SMS schemes (`sms-gateway`, `twilio`, `telnyx`, `sms-forwarder`): the credential
 *   middleware checks the source's signature over the raw body before the handler runs
 *   (see middleware/sms-signature-auth.ts), and answers 401 naming the scheme without it.
 */
export type ProviderName = 'telegram' | SmsScheme;

/**
 * The credential a route takes, declared on the route itself:
 * - `agent`: an agent API key (`Bearer ak_…`)
 * - `source`: a capture-source token (`Bearer cs_…`)
 * - `owner`: an owner token (`Bearer os_…`) or a dashboard session cookie (+ CSRF header)
 * - `session`: a dashboard session cookie only (who-am-I and sign-out)
 * - `public`: none, on purpose (sign-in, setup, health, the document and its page)
 * - `{ provider }`: a provider's own signature, checked by that provider's package
 */
export type RouteCredential =
  | 'agent'
  | 'source'
  | 'owner'
  | 'session'
  | 'public'
  | { provider: ProviderName };

/** An OpenAPI security requirement list, as the document shows it. */
export type SecurityRequirements = Array<Record<string, string[]>>;

/**
 * What each credential kind means in the document. `security: []` on an operation says
 * "no credential" explicitly, so a reader (and the credential-walk test) can tell a public
 * route from one whose declaration was forgotten.
 */
const SECURITY: Record<Exclude<RouteCredential, object>, SecurityRequirements> = {
  agent: [{ agentKey: [] }],
  source: [{ sourceToken: [] }],
  owner: [{ ownerToken: [] }, { sessionCookie: [] }],
  session: [{ sessionCookie: [] }],
  public: [],
};

/**
 * The OpenAPI `security` of a credential kind. Provider routes are not in the document.
 *
 * @example
 * securityOf('agent'); // [{ agentKey: [] }]
 */
export function securityOf(credential: Exclude<RouteCredential, object>): SecurityRequirements {
  return SECURITY[credential];
}

/**
 * The middleware that checks a route's declared credential, run before the route's own
 * middleware and its validators, so a request without the credential is refused (401/403)
 * before anything about its input is read. Public routes get none; Telegram's is verified
 * by the bot; the SMS schemes get their signature check.
 *
 * @example
 * const guards = credentialMiddleware(services, 'agent'); // [agentAuth(services)]
 */
export function credentialMiddleware(
  services: ServerServices,
  credential: RouteCredential,
): MiddlewareHandler<AppEnv>[] {
  if (typeof credential === 'object') {
    if (credential.provider === 'telegram') return [];
    // Fail closed: a provider name without a verifier stops start-up instead of opening a route.
    if (!SMS_SCHEMES.includes(credential.provider))
      throw new Error(`no verifier for provider credential ${String(credential.provider)}`);
    return [smsSignatureAuth(services, credential.provider)];
  }
  switch (credential) {
    case 'agent':
      return [agentAuth(services)];
    case 'source':
      return [sourceAuth(services)];
    case 'owner':
      return [ownerAuth(services)];
    case 'session':
      return [sessionAuth(services)];
    case 'public':
      return [];
  }
}

/** A readable name for messages: `agent`, `provider:telegram` … */
export function credentialName(credential: RouteCredential): string {
  return typeof credential === 'object' ? `provider:${credential.provider}` : credential;
}
