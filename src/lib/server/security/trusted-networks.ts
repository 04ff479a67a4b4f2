/**
 * TRUSTED_NETWORKS: the addresses a call center signs in from (comma-separated CIDRs, e.g. "10.20.0.0/16,
 * 2001:db8::/48"; a bare address is one host). Behind one NAT every operator shares an address, so the
 * per-address sign-in lock and rate limit (auth/throttle.ts) would let one person's typos, or anyone's guessing,
 * lock out the whole floor; for these networks only the per-login-id lock applies. Matching uses node's
 * net.BlockList (no hand-written address parsing); an IPv4-mapped IPv6 address (::ffff:10.0.0.1) matches its
 * IPv4 network.
 */
import { BlockList, isIP } from 'node:net';

/** Parse the list: a BlockList, or the entries that are not CIDRs (for the config error). */
export function parseNetworks(list: string): { networks: BlockList; invalid: string[] } {
	const networks = new BlockList();
	const invalid: string[] = [];
	for (const raw of list.split(',')) {
		const entry = raw.trim();
		if (!entry) continue;
		const [address, prefix, ...rest] = entry.split('/');
		const family = isIP(address);
		const bits = prefix === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
		if (!family || rest.length || !Number.isInteger(bits) || bits > (family === 6 ? 128 : 32)) {
			invalid.push(entry);
			continue;
		}
		networks.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
	}
	return { networks, invalid };
}

/** Whether `ip` (as the request's client address) lies in one of the networks. */
export function inNetworks(networks: BlockList, ip: string | null | undefined): boolean {
	if (!ip) return false;
	const family = isIP(ip);
	if (!family) return false;
	if (family === 6) {
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
		if (mapped) return networks.check(mapped[1], 'ipv4') || networks.check(ip, 'ipv6');
		return networks.check(ip, 'ipv6');
	}
	return networks.check(ip, 'ipv4');
}
