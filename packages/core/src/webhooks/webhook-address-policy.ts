import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '@agent-otp/shared';

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

/**
 * Addresses a webhook must never reach: anything that is not the public internet (RFC 6890
 * special-purpose ranges). Node's BlockList also matches IPv4-mapped IPv6 (`::ffff:127.0.0.1`)
 * against the IPv4 ranges.
 */
const INTERNAL_ADDRESSES = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8], // "this network", unspecified
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // CGNAT shared address space
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local (cloud metadata services live here)
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay anycast
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ];
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  const v6: [string, number][] = [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['64:ff9b::', 96], // NAT64 (embeds an IPv4 address)
    ['64:ff9b:1::', 48], // local-use NAT64
    ['100::', 64], // discard-only
    ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
    ['2001:db8::', 32], // documentation
    ['2002::', 16], // 6to4 (embeds an IPv4 address)
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ];
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

/**
 * True when `address` (an IP literal) is private, loopback, link-local, unique-local, CGNAT,
 * multicast, unspecified or otherwise not on the public internet.
 *
 * @example
 * isInternalAddress('::ffff:10.0.0.1'); // true
 */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL_ADDRESSES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

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
