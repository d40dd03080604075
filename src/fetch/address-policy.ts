import { BlockList, isIP } from 'node:net';

/** Why an address class is refused: each range says what it is, for the error message. */
const REFUSED_RANGES: ReadonlyArray<[cidr: string, reason: string]> = [
  ['169.254.169.254/32', 'cloud metadata'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT (shared)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (and broadcast)'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fe80::/10', 'link-local'],
  ['fc00::/7', 'unique-local'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'],
];

/** IPv6 forms that carry an IPv4 address in their last 32 bits (mapped, NAT64). */
const EMBEDDED_V4 = /^(?:::ffff:(?:0:)?|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i;

/** Decides which resolved addresses a fetch may connect to. */
export interface AddressPolicy {
  /** The reason `address` is refused ("loopback", "cloud metadata"...), or null when allowed. */
  refusal(address: string): string | null;
}

function addCidr(list: BlockList, cidr: string): void {
  const [base = '', bits] = cidr.split('/');
  const family = isIP(base);
  if (family === 0) throw new Error(`not an IP address or CIDR range: "${cidr}"`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(base, type);
  else list.addSubnet(base, Number(bits), type);
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** The same forms after URL parsing, which writes the IPv4 part as two hex groups. */
const EMBEDDED_V4_HEX = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address ("::ffff:a9fe:a9fe" →
 * "169.254.169.254"), or null when there is none.
 */
export function embeddedIPv4(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const dotted = EMBEDDED_V4.exec(bare)?.[1];
  if (dotted) return dotted;
  const hex = EMBEDDED_V4_HEX.exec(bare);
  if (!hex) return null;
  const high = parseInt(hex[1] ?? '0', 16);
  const low = parseInt(hex[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** An IPv4 address hidden in an IPv6 one is judged as the IPv4 address it reaches. */
function unwrap(address: string): string {
  return embeddedIPv4(address) ?? address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
}

/**
 * The address policy: refuses loopback, private, link-local, multicast, unique-local IPv6,
 * cloud metadata and other non-public ranges, except what `allow` (addresses or CIDR
 * ranges) admits. Throws on a malformed allowlist entry so a typo fails at start-up.
 */
export function createAddressPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = new BlockList();
  for (const entry of allow) addCidr(allowed, entry.trim());
  const refused = REFUSED_RANGES.map(([cidr, reason]) => {
    const list = new BlockList();
    addCidr(list, cidr);
    return { list, reason };
  });
  return {
    refusal(address) {
      const ip = unwrap(address);
      if (isIP(ip) === 0) return 'not an IP address';
      const family = familyOf(ip);
      if (allowed.check(ip, family)) return null;
      for (const { list, reason } of refused) {
        if (list.check(ip, family)) return reason;
      }
      return null;
    },
  };
}
