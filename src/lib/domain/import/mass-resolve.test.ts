import { describe, expect, it } from 'vitest';
import { MASS_RESOLVE_MIN, needsResolveConfirmation } from './mass-resolve.ts';

describe('needsResolveConfirmation', () => {
	it('asks when a set would take many households and a large share out of the queue (a partial file sent as the full set)', () => {
		// QA: a 15-household full set dry-ran to 解消 20,235 out of about 20,250
		expect(needsResolveConfirmation(20_235, 15)).toBe(true);
		expect(needsResolveConfirmation(3_000, 25_000)).toBe(true); // 10.7 %
	});
	it('does not ask for the ordinary resolutions of a monthly snapshot or a delta', () => {
		expect(needsResolveConfirmation(0, 20_000)).toBe(false);
		expect(needsResolveConfirmation(1_500, 20_000)).toBe(false); // 7 %: people paid
		expect(needsResolveConfirmation(MASS_RESOLVE_MIN - 1, 0)).toBe(false); // a small center
	});
	it('counts from the threshold on, and never on nonsense', () => {
		expect(needsResolveConfirmation(MASS_RESOLVE_MIN, 900)).toBe(true);
		expect(needsResolveConfirmation(MASS_RESOLVE_MIN, 901)).toBe(false);
		expect(needsResolveConfirmation(Number.NaN, 0)).toBe(false);
		expect(needsResolveConfirmation(200, -5)).toBe(true);
	});
});
