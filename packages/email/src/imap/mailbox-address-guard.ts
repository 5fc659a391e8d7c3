import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isInternalAddress } from '@agent-otp/core';

/** The status code a watcher reports when its host is refused (a refusal, not a network hiccup). */
export const PRIVATE_ADDRESS_CODE = 'PRIVATE_ADDRESS';

/**
 * Why an owner's mailbox host is refused: it is, or resolves to, an internal address. The
 * operator can allow it; nothing else is said about the relay's network.
 *
 * @example
 * privateAddressRefusal('mail.corp', ['10.0.0.5', '203.0.113.1']); // names 10.0.0.5
 */
export function privateAddressRefusal(host: string, addresses: string[]): string | undefined {
  const internal = addresses.find(isInternalAddress);
  if (internal === undefined) return undefined;
  const what = isIP(host)
    ? `${host} is a private address`
    : `${host} resolves to a private address (${internal})`;
  return `${what}; the operator can allow it with MAILBOX_ALLOW_PRIVATE=true`;
}

/** An owner's mailbox host that is, or resolves to, an internal address. */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = PRIVATE_ADDRESS_CODE;
}

/**
 * Resolves an owner's mailbox host right before a connection and returns the address to
 * connect to, refusing when any answer is internal (one internal answer among public ones is
 * enough for DNS rebinding). Connecting to the returned address, not the name again, closes
 * the window between check and connect.
 *
 * @example
 * const address = await resolvePublicMailboxAddress('imap.gmail.com');
 */
export async function resolvePublicMailboxAddress(host: string): Promise<string> {
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  const refusal = privateAddressRefusal(host, addresses);
  if (refusal) throw new PrivateAddressError(refusal);
  const [first] = addresses;
  if (first === undefined) throw new Error(`${host} does not resolve to any address`);
  return first;
}
