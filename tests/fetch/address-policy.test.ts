import { describe, expect, it } from 'vitest';
import { createAddressPolicy, embeddedIPv4 } from '../../src/fetch/address-policy.js';

describe('createAddressPolicy', () => {
  const policy = createAddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.10.10', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fdab:1234::1', 'unique-local'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT (shared)'],
    ['255.255.255.255', 'reserved (and broadcast)'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
  ])('refuses %s as %s', (address, reason) => {
    expect(policy.refusal(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '1.1.1.1'])(
    'allows the public address %s',
    (address) => {
      expect(policy.refusal(address)).toBeNull();
    },
  );

  it('admits what the allowlist names, and nothing next to it', () => {
    const allowing = createAddressPolicy(['127.0.0.1', '10.1.0.0/16']);
    expect(allowing.refusal('127.0.0.1')).toBeNull();
    expect(allowing.refusal('127.0.0.2')).toBe('loopback');
    expect(allowing.refusal('10.1.200.3')).toBeNull();
    expect(allowing.refusal('10.2.0.1')).toBe('private');
    expect(allowing.refusal('169.254.169.254')).toBe('cloud metadata');
  });

  it('fails at start-up on a malformed allowlist entry', () => {
    expect(() => createAddressPolicy(['localhost'])).toThrow(/not an IP address/);
  });

  it('refuses what is not an IP address at all', () => {
    expect(policy.refusal('example.org')).toBe('not an IP address');
  });

  it('reads the IPv4 address inside mapped and NAT64 forms', () => {
    expect(embeddedIPv4('::ffff:169.254.169.254')).toBe('169.254.169.254');
    expect(embeddedIPv4('[::ffff:a9fe:a9fe]')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2001:db8::1')).toBeNull();
  });
});
