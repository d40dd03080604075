import * as ipaddrModule from 'ipaddr.js';

// ipaddr.js is CommonJS (`export =`): Node hands its exports over as the default export.
export const ipaddr = (ipaddrModule as unknown as { default: typeof ipaddrModule }).default;
export type Address = ipaddrModule.IPv4 | ipaddrModule.IPv6;

/** Parses an address as a URL or resolver writes it: brackets and an IPv6 zone are dropped. */
export function parseAddress(address: string): Address | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return null;
  // ipaddr.js also reads "127.1" and "0x7f.1" as IPv4; only the four-part form is an address.
  if (bare.includes('.') && !bare.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(bare)) {
    return null;
  }
  return ipaddr.parse(bare);
}

/** A fetch.allowAddresses entry: an address or a CIDR range. Throws on anything else. */
export function parseAllowEntry(entry: string): [Address, number] {
  const text = entry.trim();
  if (text.includes('/')) {
    try {
      return ipaddr.parseCIDR(text);
    } catch {
      throw new Error(`not an IP address or CIDR range: "${entry}"`);
    }
  }
  const ip = parseAddress(text);
  if (!ip) throw new Error(`not an IP address or CIDR range: "${entry}"`);
  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}
