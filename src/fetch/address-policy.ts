import type * as ipaddrModule from 'ipaddr.js';
import { ipaddr, parseAddress, parseAllowEntry, type Address } from '../config/ip-address.js';

/**
 * Why each special range of ipaddr.js is refused, for the error message. Every IPv4 or IPv6
 * range other than ordinary unicast is refused; the IPv6 forms that carry an IPv4 address are
 * judged by that address instead (see `embedded`).
 */
const RANGE_REASONS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  unspecifiedV4: 'unspecified ("this network")',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (shared)',
  private: 'private',
  reserved: 'reserved',
  as112: 'AS112 (reserved)',
  amt: 'AMT relay (reserved)',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  benchmarking: 'benchmarking',
  as112v6: 'AS112 (reserved)',
  deprecatedOrchid: 'ORCHID (reserved)',
  orchid2: 'ORCHID (reserved)',
  droneRemoteIdProtocolEntityTags: 'reserved',
  segmentRouting: 'segment routing (reserved)',
};

/** Cloud instance metadata services: the address an SSRF is usually after. */
const METADATA = ['169.254.169.254', 'fd00:ec2::254'].map((a) => ipaddr.parse(a).toString());

/** NAT64 well-known prefix (RFC 6052): the IPv4 address is the last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
/** The first 96 bits zero: an IPv4-compatible address (RFC 4291, deprecated) or :: / ::1. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Decides which resolved addresses a fetch may connect to. */
export interface AddressPolicy {
  /** The reason `address` is refused ("loopback", "cloud metadata"...), or null when allowed. */
  refusal(address: string): string | null;
}

function ipv4Of(high: number, low: number): ipaddrModule.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 addresses an IPv6 address carries and reaches (IPv4-mapped and -translated,
 * NAT64 well-known, 6to4, Teredo server and client), each with the form's name.
 */
function embedded(ip: ipaddrModule.IPv6): Array<{ v4: ipaddrModule.IPv4; form: string }> {
  const p = ip.parts;
  const last = () => ipv4Of(p[6]!, p[7]!);
  if (ip.isIPv4MappedAddress()) return [{ v4: ip.toIPv4Address(), form: 'IPv4-mapped' }];
  switch (ip.range()) {
    case 'rfc6145':
      return [{ v4: last(), form: 'IPv4-translated' }];
    case 'rfc6052':
      return ip.match(NAT64_WELL_KNOWN) ? [{ v4: last(), form: 'NAT64' }] : [];
    case '6to4':
      return [{ v4: ipv4Of(p[1]!, p[2]!), form: '6to4' }];
    case 'teredo':
      return [
        { v4: ipv4Of(p[2]!, p[3]!), form: 'Teredo server' },
        { v4: ipv4Of(~p[6]! & 0xffff, ~p[7]! & 0xffff), form: 'Teredo client' },
      ];
    default:
      return [];
  }
}

/**
 * The IPv4 address inside an IPv4-mapped, -translated, NAT64 or 6to4 IPv6 address
 * ("::ffff:a9fe:a9fe" → "169.254.169.254"), or null when there is none; for messages.
 */
export function embeddedIPv4(address: string): string | null {
  const ip = parseAddress(address);
  if (!ip || ip.kind() !== 'ipv6') return null;
  return embedded(ip as ipaddrModule.IPv6)[0]?.v4.toString() ?? null;
}

/** Why an address is refused by its own range, before any allowlist; null for plain unicast. */
function rangeRefusal(ip: Address): string | null {
  if (METADATA.includes(ip.toString())) return 'cloud metadata';
  if (ip.kind() === 'ipv4') {
    const range = ip.range();
    if (range === 'unicast') return null;
    return RANGE_REASONS[range === 'unspecified' ? 'unspecifiedV4' : range] ?? range;
  }
  const v6 = ip as ipaddrModule.IPv6;
  const range = v6.range();
  if (range === 'rfc6052' && !v6.match(NAT64_WELL_KNOWN)) return 'local-use NAT64';
  if (['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'teredo'].includes(range)) return null;
  if (range !== 'unicast') return RANGE_REASONS[range] ?? range;
  if (v6.match(IPV4_COMPATIBLE)) return 'IPv4-compatible (deprecated)';
  return null;
}

/**
 * The address policy: refuses loopback, private, link-local, multicast, site- and
 * unique-local IPv6, cloud metadata and every other non-unicast range, and every IPv6 form
 * that embeds or reaches such an IPv4 address (IPv4-mapped, -compatible, 6to4, NAT64
 * well-known and local-use, Teredo), except what `allow` (addresses or CIDR ranges) admits.
 * Throws on a malformed allowlist entry so a typo fails at start-up.
 */
export function createAddressPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = allow.map(parseAllowEntry);
  const isAllowed = (ip: Address) =>
    allowed.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits));
  return {
    refusal(address) {
      const ip = parseAddress(address);
      if (!ip) return 'not an IP address';
      if (isAllowed(ip)) return null;
      const own = rangeRefusal(ip);
      if (own !== null) return own;
      if (ip.kind() === 'ipv6') {
        for (const { v4, form } of embedded(ip as ipaddrModule.IPv6)) {
          // Only a mapped address is the IPv4 socket itself; the other forms travel through a
          // relay or gateway, so an allowed IPv4 address does not admit them.
          if (form === 'IPv4-mapped' && isAllowed(v4)) continue;
          const reason = rangeRefusal(v4);
          if (reason !== null) return `${reason} (in ${form} IPv6)`;
        }
      }
      return null;
    },
  };
}
