// Issue 11: which webhook destinations reach the internal network. Every special-purpose
// range counts as internal (IPv4, IPv6 and IPv4-mapped IPv6); public addresses do not.
import { isInternalAddress, resolveAllowedAddresses, WebhookAddressError } from '@agent-otp/core';
import { describe, expect, it } from 'vitest';

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'not-an-ip',
  ])('%s is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });
});

describe('resolveAllowedAddresses', () => {
  const resolve = async (host: string) =>
    host === 'mixed.test' ? ['93.184.216.34', '10.0.0.1'] : ['93.184.216.34'];

  it('refuses a name when any answer is internal, naming the address', async () => {
    await expect(
      resolveAllowedAddresses({ allowHttp: false, allowPrivate: false, resolve }, 'mixed.test'),
    ).rejects.toThrow(
      new WebhookAddressError(
        'mixed.test resolves to 10.0.0.1, a private, loopback, link-local or otherwise internal address',
      ),
    );
  });

  it('returns the checked answers, and allows internal ones when the operator does', async () => {
    expect(
      await resolveAllowedAddresses({ allowHttp: false, allowPrivate: false, resolve }, 'ok.test'),
    ).toEqual(['93.184.216.34']);
    expect(
      await resolveAllowedAddresses({ allowHttp: false, allowPrivate: true, resolve }, 'mixed.test'),
    ).toEqual(['93.184.216.34', '10.0.0.1']);
  });
});
