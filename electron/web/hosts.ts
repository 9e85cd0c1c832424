// Which Host the web shell answers to. A page that a DNS-rebinding attacker serves
// under evil.example, re-pointed at 127.0.0.1, still sends `Host: evil.example`: the
// shell refuses every request and Socket.IO handshake whose Host is not one it serves
// (loopback names, the address it is bound to, the LAN names the operator gave), and
// every handshake whose Origin is not the scheme and one of those hosts (cross-site pages).
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { isLoopback } from '../../node-common/net';

export interface HostPolicyOptions {
  /** The address the server listens on (0.0.0.0 and :: mean every interface). */
  bound: string;
  port: number;
  /** LAN names the screens use (`--lan-name`, GRIDDECK_LAN_NAMES). */
  lanNames?: readonly string[];
  /** HTTPS: Origins must be https://. */
  secure: boolean;
  /** The machine's addresses, for a wildcard bind (default: os.networkInterfaces()). */
  interfaces?: () => readonly string[];
}

export interface HostPolicy {
  /** The host names and addresses served, without port (certificate SANs, the start line). */
  readonly names: readonly string[];
  hostAllowed(host: string | undefined): boolean;
  /** A browser's Origin must be this server under one of its hosts; a client without one (Node) is judged by Host alone. */
  originAllowed(origin: string | undefined): boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

/** Every address of this machine's interfaces. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.replace(/%.*$/, ''));
}

/** A bind address on this machine only (plain HTTP is allowed there): a loopback address or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || isLoopback(bare);
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '[::]';
}

/** A host as it appears in a Host header or URL: IPv6 in brackets, lower case. */
export function hostForUrl(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

/** A LAN name as the operator gives it: a DNS name or an address, nothing else. */
export function checkLanName(name: string): string {
  const bare = name.trim().replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(bare) !== 0) return bare;
  if (!/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(bare)) throw new Error(`bad LAN name: ${name}`);
  return bare;
}

export function createHostPolicy(options: HostPolicyOptions): HostPolicy {
  const bound = options.bound.replace(/^\[|\]$/g, '').toLowerCase();
  const addresses = isWildcard(bound) ? (options.interfaces ?? interfaceAddresses)() : [bound];
  const names = [...new Set([...LOOPBACK_NAMES, ...addresses.map((a) => a.toLowerCase()), ...(options.lanNames ?? []).map(checkLanName)])];
  const defaultPort = options.secure ? 443 : 80;
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${hostForUrl(name)}:${options.port}`);
    if (options.port === defaultPort) hosts.add(hostForUrl(name));
  }
  const scheme = options.secure ? 'https' : 'http';
  const hostAllowed = (host: string | undefined): boolean => host !== undefined && hosts.has(host.toLowerCase());
  return {
    names,
    hostAllowed,
    originAllowed(origin) {
      if (origin === undefined) return true;
      const prefix = `${scheme}://`;
      return origin.toLowerCase().startsWith(prefix) && hostAllowed(origin.slice(prefix.length));
    },
  };
}
