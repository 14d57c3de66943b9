import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Whether the socket peer is one of TRUSTED_PROXIES (addresses and CIDRs,
 * already validated by the config): the only peers whose X-Forwarded-Host
 * is believed (R-HOST-4). An IPv4 peer seen through a dual-stack socket
 * (`::ffff:10.0.0.1`) is compared as IPv4.
 */
export function trustedPeerMatcher(entries: readonly string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const peer = mapped ? mapped[1]! : address;
    if (isIPv4(peer)) return list.check(peer, 'ipv4');
    return isIPv6(peer) && list.check(peer, 'ipv6');
  };
}
