import { describe, expect, it } from 'vitest';
import { id, isoDate, yenAmount } from './validation.ts';

describe('boundary schemas', () => {
	it('accepts ids as numbers or digit strings only', () => {
		expect(id.parse(12)).toBe(12);
		expect(id.parse(' 12 ')).toBe(12);
		for (const bad of ['1e20', '12a', '', true, -1, 0, 1.5, '99999999999999999', null]) expect(id.safeParse(bad).success, String(bad)).toBe(false);
	});
	it('accepts only real calendar dates', () => {
		expect(isoDate.parse('2028-02-29')).toBe('2028-02-29');
		for (const bad of ['2026-02-30', '2026-13-01', '2026/04/01', 'R8.4.1']) expect(isoDate.safeParse(bad).success, bad).toBe(false);
	});
	it('takes whole yen', () => {
		expect(yenAmount.parse('30000')).toBe(30_000);
		for (const bad of ['30,000', '1.5', 0, -5, 'abc']) expect(yenAmount.safeParse(bad).success, String(bad)).toBe(false);
	});
});
