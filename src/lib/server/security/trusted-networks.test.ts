import { describe, expect, it } from 'vitest';
import { inNetworks, parseNetworks } from './trusted-networks.ts';
import { parseConfig } from '../config.ts';

describe('TRUSTED_NETWORKS (CIDR matching with net.BlockList)', () => {
	it('matches addresses inside the networks and nothing else', () => {
		const { networks, invalid } = parseNetworks(' 10.20.0.0/16, 192.0.2.7 ,2001:db8::/48');
		expect(invalid).toEqual([]);
		expect(inNetworks(networks, '10.20.3.4')).toBe(true);
		expect(inNetworks(networks, '10.20.255.255')).toBe(true);
		expect(inNetworks(networks, '10.21.0.1')).toBe(false);
		expect(inNetworks(networks, '192.0.2.7')).toBe(true); // a bare address is one host
		expect(inNetworks(networks, '192.0.2.8')).toBe(false);
		expect(inNetworks(networks, '2001:db8:0:1::5')).toBe(true);
		expect(inNetworks(networks, '2001:db9::1')).toBe(false);
	});

	it('an IPv4-mapped IPv6 address (as a dual-stack socket reports it) matches its IPv4 network', () => {
		const { networks } = parseNetworks('10.20.0.0/16');
		expect(inNetworks(networks, '::ffff:10.20.1.1')).toBe(true);
		expect(inNetworks(networks, '::ffff:10.99.1.1')).toBe(false);
	});

	it('no address, an empty list or garbage never matches', () => {
		expect(inNetworks(parseNetworks('').networks, '10.0.0.1')).toBe(false);
		const { networks } = parseNetworks('0.0.0.0/0');
		expect(inNetworks(networks, null)).toBe(false);
		expect(inNetworks(networks, 'not an address')).toBe(false);
		expect(inNetworks(networks, '8.8.8.8')).toBe(true);
	});

	it('names what is not a CIDR, and the configuration refuses it at start', () => {
		expect(parseNetworks('10.0.0.0/33, 10.0.0.0/8/1, example.com, 10.0.0.0/x, ::/129, 10.1.0.0/16').invalid).toEqual([
			'10.0.0.0/33',
			'10.0.0.0/8/1',
			'example.com',
			'10.0.0.0/x',
			'::/129'
		]);
		expect(() => parseConfig({ TRUSTED_NETWORKS: '10.0.0.0/8, nonsense' })).toThrow(/TRUSTED_NETWORKS: not a CIDR .*nonsense/);
		expect(parseConfig({}).TRUSTED_NETWORKS).toBe('');
		expect(parseConfig({ TRUSTED_NETWORKS: '10.0.0.0/8' }).TRUSTED_NETWORKS).toBe('10.0.0.0/8');
	});
});
