import { describe, expect, it } from 'vitest';
import { overduePeriods, priorityScore, totalOwed } from './arrears.ts';

const row = (fiscalYear: number, period: number, assessed: number, receivedTotal: number, dueDate: string | null) => ({ fiscalYear, period, assessed, receivedTotal, dueDate });

describe('arrears', () => {
	it('counts only periods past due with money still owed, oldest first', () => {
		const rows = [
			row(2026, 2, 10_000, 0, '2026-07-31'),
			row(2026, 1, 10_000, 4_000, '2026-06-30'),
			row(2026, 3, 10_000, 10_000, '2026-08-31'), // paid
			row(2026, 7, 10_000, 0, '2026-12-28'), // not yet due
			row(2025, 10, 8_000, 0, '2026-03-31'),
			row(2026, 4, 10_000, 0, null) // no due date: unknown, not overdue
		];
		const p = overduePeriods(rows, '2026-11-27');
		expect(p.map((x) => [x.fiscalYear, x.period, x.owed])).toEqual([
			[2025, 10, 8_000],
			[2026, 1, 6_000],
			[2026, 2, 10_000]
		]);
		expect(totalOwed(p)).toBe(24_000);
	});

	it('treats the due date itself as not yet overdue', () => {
		expect(overduePeriods([row(2026, 6, 5_000, 0, '2026-11-30')], '2026-11-30')).toEqual([]);
		expect(overduePeriods([row(2026, 6, 5_000, 0, '2026-11-30')], '2026-12-01')).toHaveLength(1);
	});

	it('ranks larger arrears higher, never negative', () => {
		expect(priorityScore({ owed: 90_000 })).toBeGreaterThan(priorityScore({ owed: 5_000 }));
		expect(priorityScore({ owed: -10 })).toBe(0);
	});
});
