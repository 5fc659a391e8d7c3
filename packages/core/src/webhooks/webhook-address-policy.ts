import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '@agent-otp/shared';
import { isInternalAddress } from '../network/internal-address.js';

/** Looks a host name up: every address it resolves to (tests inject one to simulate DNS rebinding). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** What webhook URLs a relay accepts, from the operator's settings (WEBHOOK_ALLOW_*). */
export interface WebhookAddressPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
  /** Default: the system resolver (`dns.lookup`, every address). */
  resolve?: ResolveHost | undefined;
}

/** HTTPS only, public addresses only: what a relay enforces when its operator set nothing. */
export const STRICT_WEBHOOK_POLICY: WebhookAddressPolicy = { allowHttp: false, allowPrivate: false };

const systemResolve: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The host of a URL as an IP literal or name (`[::1]` → `::1`). */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Resolves `hostname` and refuses when any address is internal (unless allowed): one internal
 * answer among public ones is enough for a rebinding attacker. Returns the checked addresses,
 * so the caller connects to exactly those.
 *
 * @example
 * const addresses = await resolveAllowedAddresses(policy, 'hooks.example.com');
 */
export async function resolveAllowedAddresses(
  policy: WebhookAddressPolicy,
  hostname: string,
): Promise<string[]> {
  const addresses = isIP(hostname) ? [hostname] : await (policy.resolve ?? systemResolve)(hostname);
  if (addresses.length === 0) throw new WebhookAddressError(`${hostname} does not resolve to any address`);
  if (!policy.allowPrivate) {
    const internal = addresses.find(isInternalAddress);
    if (internal !== undefined)
      throw new WebhookAddressError(
        isIP(hostname)
          ? `${hostname} is a private, loopback, link-local or otherwise internal address`
          : `${hostname} resolves to ${internal}, a private, loopback, link-local or otherwise internal address`,
      );
  }
  return addresses;
}

/** A webhook destination the policy refuses; the message says why (never a secret). */
export class WebhookAddressError extends Error {
  override readonly name = 'WebhookAddressError';
}

/**
 * Checks a webhook URL when a request names it: HTTPS (unless allowed), and a host that is
 * not, and does not resolve to, an internal address (unless allowed). Answers 400 with the
 * reason. Delivery checks again after its own resolution (DNS answers change).
 *
 * @example
 * await assertWebhookUrlAllowed(ctx.webhooks, body.webhookUrl);
 */
export async function assertWebhookUrlAllowed(
  policy: WebhookAddressPolicy | undefined,
  webhookUrl: string,
): Promise<void> {
  const effective = policy ?? STRICT_WEBHOOK_POLICY;
  const url = new URL(webhookUrl);
  if (url.protocol !== 'https:' && !(effective.allowHttp && url.protocol === 'http:'))
    throw new AppError(
      'VALIDATION_ERROR',
      'webhookUrl must be an https:// URL (this relay does not allow plain http webhooks)',
    );
  try {
    await resolveAllowedAddresses(effective, hostOf(url));
  } catch (error) {
    if (error instanceof WebhookAddressError)
      throw new AppError('VALIDATION_ERROR', `webhookUrl refused: ${error.message}`);
    throw new AppError(
      'VALIDATION_ERROR',
      `webhookUrl refused: ${hostOf(url)} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`,
    );
  }
}
