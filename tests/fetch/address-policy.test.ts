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
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:10.0.0.1', 'private (in IPv4-mapped IPv6)'],
    ['::ffff:a9fe:a9fe', 'cloud metadata (in IPv4-mapped IPv6)'],
    // IPv6 forms that carry or reach a private or loopback IPv4 address.
    ['::7f00:1', 'IPv4-compatible (deprecated)'],
    ['::ffff:0:7f00:1', 'loopback (in IPv4-translated IPv6)'],
    ['2002:7f00:1::1', 'loopback (in 6to4 IPv6)'],
    ['2002:a00:1::', 'private (in 6to4 IPv6)'],
    ['64:ff9b::7f00:1', 'loopback (in NAT64 IPv6)'],
    ['64:ff9b::10.0.0.1', 'private (in NAT64 IPv6)'],
    ['64:ff9b:1::7f00:1', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
    ['2001:0:7f00:1::1', 'loopback (in Teredo server IPv6)'],
    ['2001:0:808:808:0:0:80ff:fffe', 'loopback (in Teredo client IPv6)'],
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local'],
    ['100::1', 'discard-only'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
  ])('refuses %s as %s', (address, reason) => {
    expect(policy.refusal(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '1.1.1.1',
    '::ffff:93.184.216.34',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows the public address %s', (address) => {
    expect(policy.refusal(address)).toBeNull();
  });

  it('admits what the allowlist names, and nothing next to it', () => {
    const allowing = createAddressPolicy(['127.0.0.1', '10.1.0.0/16']);
    expect(allowing.refusal('127.0.0.1')).toBeNull();
    expect(allowing.refusal('127.0.0.2')).toBe('loopback');
    expect(allowing.refusal('10.1.200.3')).toBeNull();
    expect(allowing.refusal('10.2.0.1')).toBe('private');
    expect(allowing.refusal('169.254.169.254')).toBe('cloud metadata');
    expect(allowing.refusal('::ffff:127.0.0.1')).toBeNull();
    // Only the mapped form is the allowed socket; the others reach it through a relay.
    expect(allowing.refusal('2002:7f00:1::1')).toBe('loopback (in 6to4 IPv6)');
    expect(allowing.refusal('64:ff9b::7f00:1')).toBe('loopback (in NAT64 IPv6)');
  });

  it('fails at start-up on a malformed allowlist entry', () => {
    expect(() => createAddressPolicy(['localhost'])).toThrow(/not an IP address/);
    expect(() => createAddressPolicy(['10.0.0.0/33'])).toThrow(/not an IP address/);
    expect(() => createAddressPolicy(['127.1'])).toThrow(/not an IP address/);
  });

  it('refuses what is not an IP address at all', () => {
    expect(policy.refusal('example.org')).toBe('not an IP address');
    expect(policy.refusal('0x7f.1')).toBe('not an IP address');
  });

  it('reads the IPv4 address inside mapped and NAT64 forms', () => {
    expect(embeddedIPv4('::ffff:169.254.169.254')).toBe('169.254.169.254');
    expect(embeddedIPv4('[::ffff:a9fe:a9fe]')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2002:7f00:1::1')).toBe('127.0.0.1');
    expect(embeddedIPv4('2001:db8::1')).toBeNull();
  });
});
