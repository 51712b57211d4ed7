import { isIPv4, isIPv6 } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The client's IP: the socket's address, or — behind one proxy the server trusts
 * (`TRUST_PROXY=true`) — the last `X-Forwarded-For` hop, the one that proxy appended (earlier
 * hops come from the client and can be forged).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/**
 * The address a per-IP limit counts under. IPv4 (also written IPv4-mapped, `::ffff:a.b.c.d`) as
 * it is; IPv6 by its /64 prefix, since one subscriber usually gets a whole /64 and could
 * otherwise take a fresh address, and a fresh counter, for every request. Anything else (an
 * odd `X-Forwarded-For` from the trusted proxy, `unknown`) is kept, at most 100 characters.
 *
 * @example
 * ipKey('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 */
export function ipKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const address = ip.replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names the interface, not the host
  if (!isIPv6(address)) return ip.slice(0, 100);
  const [head = '', tail] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The client's IP as a per-IP limit counts it ({@link clientIp}, then {@link ipKey}). */
export const clientIpKey = (c: Context, trustProxy: boolean) => ipKey(clientIp(c, trustProxy));
