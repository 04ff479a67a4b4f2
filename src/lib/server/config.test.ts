import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('configuration', () => {
	it('has working defaults', () => {
		const c = parseConfig({});
		expect(c.PORT).toBe(3000);
		expect(c.DATABASE_URL).toBeUndefined();
		expect(c.SEED_DEMO).toBe('auto');
	});

	it('names every bad variable', () => {
		try {
			parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CLAIM_LEASE_SECONDS: '1' });
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ConfigError);
			const msg = (e as Error).message;
			expect(msg).toContain('PORT');
			expect(msg).toContain('DATABASE_URL');
			expect(msg).toContain('CLAIM_LEASE_SECONDS');
		}
	});

	it('treats empty values as unset and parses booleans', () => {
		const c = parseConfig({ DATABASE_URL: '', SEED_DEMO: 'false' });
		expect(c.DATABASE_URL).toBeUndefined();
		expect(c.SEED_DEMO).toBe(false);
	});
});
