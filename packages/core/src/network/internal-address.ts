import { BlockList, isIP } from 'node:net';

// Which addresses are not the public internet: webhook delivery (WEBHOOK_ALLOW_PRIVATE) and
// owners' mailboxes (MAILBOX_ALLOW_PRIVATE) both refuse them, so neither can be used to probe
// the relay's own network. One list, so the two cannot drift apart.

/**
 * Addresses a webhook or an owner's mailbox must never reach: anything that is not the public internet (RFC 6890
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
