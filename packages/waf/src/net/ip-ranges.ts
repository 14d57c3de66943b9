import { BlockList, isIP } from 'node:net';

/**
 * A set of CIDR ranges (IPv4 and IPv6) for allowlists. Backed by Node's
 * BlockList; IPv4-mapped IPv6 addresses (`::ffff:203.0.113.7`, what a
 * dual-stack socket reports) are matched as the IPv4 address they carry.
 */
export class IpRanges {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address, bits] = cidr.trim().split('/');
      const family = isIP(address ?? '');
      if (family === 0) throw new Error(`Invalid CIDR "${cidr}": not an IP address`);
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`Invalid CIDR "${cidr}": prefix must be 0-${max}`);
      this.list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
    this.size = cidrs.length;
  }

  has(ip: string | undefined): boolean {
    if (ip === undefined || this.size === 0) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    const address = mapped ? mapped[1]! : ip;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
