import { describe, expect, it } from 'vitest';
import {
	collectionRates,
	daysOfMonth,
	excludeAmounts,
	firstWorkingDayOf,
	fiscalYearMonths,
	isWorkingDay,
	periodProgress,
	sumCounts
} from './collection-rate.ts';

describe('収納率 (collection rate)', () => {
	it('divides received by assessed for 現年分, 滞納繰越分 and the summed total', () => {
		const r = collectionRates({ current: { assessed: 1_000_000, received: 941_400 }, arrears: { assessed: 500_000, received: 100_000 } });
		expect(r.current).toBeCloseTo(0.9414, 10);
		expect(r.arrears).toBeCloseTo(0.2, 10);
		// (941,400 + 100,000) ÷ 1,500,000, not the mean of the two rates (0.5707)
		expect(r.total).toBeCloseTo(1_041_400 / 1_500_000, 10);
		expect(r.total).not.toBeCloseTo((0.9414 + 0.2) / 2, 3);
	});

	it('gives null for a zero denominator, separately per kind', () => {
		expect(collectionRates({ current: { assessed: 0, received: 0 }, arrears: { assessed: 200, received: 50 } })).toEqual({
			current: null,
			arrears: 0.25,
			total: 0.25
		});
		expect(collectionRates({ current: { assessed: 0, received: 0 }, arrears: { assessed: 0, received: 0 } })).toEqual({
			current: null,
			arrears: null,
			total: null
		});
	});

	it('excludes 居所不明 households from numerator and denominator', () => {
		const all = { current: { assessed: 1000, received: 800 }, arrears: { assessed: 400, received: 100 } };
		const unknown = { current: { assessed: 200, received: 0 }, arrears: { assessed: 100, received: 0 } };
		const r = collectionRates(excludeAmounts(all, unknown));
		expect(r.current).toBe(1); // 800 ÷ 800
		expect(r.arrears).toBeCloseTo(100 / 300, 10);
		expect(r.total).toBeCloseTo(900 / 1100, 10);
		expect(() => excludeAmounts(all, { ...unknown, current: { assessed: 2000, received: 0 } })).toThrow(/current/);
	});
});

describe('totals', () => {
	it('per-operator counts add up to the team total', () => {
		const ops = [
			{ attempts: 10, promises: 2, promisedAmount: 30_000 },
			{ attempts: 5, promises: 0, promisedAmount: 0 },
			{ attempts: 7, promises: 1, promisedAmount: 12_345 }
		];
		expect(sumCounts(ops, ['attempts', 'promises', 'promisedAmount'])).toEqual({ attempts: 22, promises: 3, promisedAmount: 42_345 });
		expect(sumCounts([], ['attempts'])).toEqual({ attempts: 0 });
	});
});

describe('periods', () => {
	it('lists a fiscal year April … March', () => {
		const m = fiscalYearMonths(2025);
		expect(m).toHaveLength(12);
		expect(m[0]).toBe('2025-04');
		expect(m[8]).toBe('2025-12');
		expect(m[9]).toBe('2026-01');
		expect(m[11]).toBe('2026-03');
	});

	it('lists the days of a month, leap years included', () => {
		expect(daysOfMonth('2024-02')).toHaveLength(29);
		expect(daysOfMonth('2025-02')).toHaveLength(28);
		expect(daysOfMonth('2025-04').at(-1)).toBe('2025-04-30');
		expect(() => daysOfMonth('2025-13')).toThrow(/YYYY-MM/);
	});

	it('tells how much of a partial period has passed', () => {
		expect(periodProgress('2026-11-01', '2026-12-01', '2026-11-10')).toEqual({ elapsedDays: 10, totalDays: 30, partial: true });
		expect(periodProgress('2026-11-01', '2026-12-01', '2026-11-30')).toEqual({ elapsedDays: 30, totalDays: 30, partial: false });
		expect(periodProgress('2026-11-01', '2026-12-01', '2027-01-05')).toEqual({ elapsedDays: 30, totalDays: 30, partial: false });
		expect(periodProgress('2026-11-01', '2026-12-01', '2026-10-31')).toEqual({ elapsedDays: 0, totalDays: 30, partial: true });
		expect(periodProgress('2026-04-01', '2027-04-01', '2026-04-01')).toEqual({ elapsedDays: 1, totalDays: 365, partial: true });
		expect(() => periodProgress('2026-11-01', '2026-11-01', '2026-11-01')).toThrow(/after/);
	});

	it('finds the first working day of a month (weekends, holidays, year-end closure)', () => {
		expect(isWorkingDay('2026-11-02')).toBe(true); // Monday
		expect(isWorkingDay('2026-11-03')).toBe(false); // 文化の日
		expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
		expect(firstWorkingDayOf('2027-01')).toBe('2027-01-04'); // 1/1–1/3 closure, Monday the 4th
		expect(firstWorkingDayOf('2026-11')).toBe('2026-11-02'); // the 1st is a Sunday
		expect(firstWorkingDayOf('2026-05')).toBe('2026-05-01'); // Friday
		expect(firstWorkingDayOf('2025-05')).toBe('2025-05-01'); // Thursday
		expect(firstWorkingDayOf('2021-05')).toBe('2021-05-06'); // Sat 1st, Sun 2nd, 3–5 holidays
	});
});
