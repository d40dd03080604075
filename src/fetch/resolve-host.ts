import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { PermanentError, RetryableError } from '../errors.js';
import { embeddedIPv4, type AddressPolicy } from './address-policy.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup` with all). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

/** DNS errors that say the name does not exist, as opposed to a resolver having a bad moment. */
const NAME_NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA']);

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address of the name. */
export const systemResolveHost: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** A URL's hostname without the brackets of an IPv6 literal. */
export function bareHostname(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

function refuse(hostname: string, address: string, reason: string): PermanentError {
  const v4 = embeddedIPv4(address);
  const full = v4 ? `${address} = ${v4}` : address;
  const shown = hostname === address ? full : `${hostname} (${full})`;
  return new PermanentError(
    FetchErrorCode.ADDRESS_REFUSED,
    `refused to connect to ${shown}: ${reason} address (not in fetch.allowAddresses)`,
  );
}

/**
 * Resolves `hostname` and checks every address against the policy before any connection is
 * made. One refused address refuses the host: a name that mixes public and private
 * addresses is a rebinding trick, not a news site.
 */
export async function resolveAllowedAddresses(
  hostname: string,
  deps: { policy: AddressPolicy; resolveHost?: ResolveHost },
): Promise<string[]> {
  const host = bareHostname(hostname);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await (deps.resolveHost ?? systemResolveHost)(host)).map((a) => a.address);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? '';
      const message = `cannot resolve ${host}: ${code || (cause as Error).message}`;
      throw NAME_NOT_FOUND.has(code)
        ? new PermanentError(FetchErrorCode.DNS_FAILED, message, { cause })
        : new RetryableError(FetchErrorCode.DNS_UNAVAILABLE, message, { cause });
    }
    if (addresses.length === 0) {
      throw new PermanentError(FetchErrorCode.DNS_FAILED, `${host} has no address`);
    }
  }
  for (const address of addresses) {
    const reason = deps.policy.refusal(address);
    if (reason !== null) throw refuse(host, address, reason);
  }
  return addresses;
}

/**
 * A `lookup` for undici's `connect` options (net/tls `lookup`): resolves like the system
 * does, then refuses the connection when an address breaks the policy. It guards against
 * a name that resolved to a public address when fetchPage checked it and to a private one
 * when the socket is opened (DNS rebinding).
 */
export function createGuardedLookup(
  policy: AddressPolicy,
  resolveHost: ResolveHost = systemResolveHost,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowedAddresses(hostname, { policy, resolveHost }).then(
      (addresses) => {
        const wanted = options.family === 6 ? 6 : options.family === 4 ? 4 : 0;
        const usable = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => wanted === 0 || a.family === wanted);
        const first = usable[0];
        if (!first) {
          callback(
            Object.assign(new Error(`${hostname} has no IPv${wanted} address`), {
              code: 'ENOTFOUND',
            }),
            '',
          );
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, ''),
    );
  };
}
