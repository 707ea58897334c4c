/**
 * CIDR notation as the API server parses it for a NetworkPolicy `ipBlock.cidr` (Go's
 * `net.ParseCIDR`): an IPv4 address with its prefix length 0-32, or an IPv6 address with 0-128.
 */
import { isIPv4, isIPv6 } from 'net';

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/**
 * Whether `text` is `ADDRESS/PREFIX` with a valid address and prefix length. Stricter than the API
 * server in one way only: an octet with a leading zero (`010.0.0.1`), which some tools read as octal,
 * is refused.
 */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!PREFIX.test(prefix)) return false;
  // A zone (`fe80::1%eth0`) is an address of one host's link, not a CIDR.
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && !address.includes('%') && Number(prefix) <= 128;
}
