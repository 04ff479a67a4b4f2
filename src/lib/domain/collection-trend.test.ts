import { describe, expect, it } from 'vitest';
import { compareYears, monthLabels, points, yearTrend, type ReceiptCell } from './collection-trend.ts';

// FY2025: assessed 1,000 (received 100 in Jun 2025, 200 in Aug 2025, 100 in May 2026 (after the year), 50 with no date)
// FY2024: assessed 800: 500 received within FY2024, 100 received in Jul 2025 (arrears collected in FY2025), 200 unpaid
const cells: ReceiptCell[] = [
	{ fiscalYear: 2025, month: '2025-06', assessed: 400, received: 100 },
	{ fiscalYear: 2025, month: '2025-08', assessed: 300, received: 200 },
	{ fiscalYear: 2025, month: '2026-05', assessed: 100, received: 100 },
	{ fiscalYear: 2025, month: null, assessed: 200, received: 50 },
	{ fiscalYear: 2024, month: '2024-09', assessed: 500, received: 500 },
	{ fiscalYear: 2024, month: '2025-07', assessed: 100, received: 100 },
	{ fiscalYear: 2024, month: null, assessed: 200, received: 0 }
];

describe('yearTrend', () => {
	const y = yearTrend(cells, 2025, '2025-09');
	it('accumulates the current year month by month over the whole year’s assessment', () => {
		expect(y.points.map((p) => p.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
		// no-date money counts from April (received before kansho saw it)
		expect(y.points[0].amounts.current).toEqual({ assessed: 1000, received: 50 });
		expect(y.points[2].amounts.current.received).toBe(150);
		expect(y.points[4].amounts.current.received).toBe(350);
		expect(y.points[4].rates.current).toBeCloseTo(0.35);
		// received after the year (May 2026) is not in March's figure
		expect(y.points[11].amounts.current.received).toBe(350);
	});
	it('takes the arrears as what the earlier years still owed on April 1, and what came in since', () => {
		// owed on 2025-04-01: 800 − 500 (received Sep 2024) = 300 (the Jul 2025 money was still owed then)
		expect(y.points[0].amounts.arrears).toEqual({ assessed: 300, received: 0 });
		expect(y.points[3].amounts.arrears).toEqual({ assessed: 300, received: 100 });
		expect(y.points[3].rates.arrears).toBeCloseTo(1 / 3);
		// the total divides the sums, not the mean of the rates
		expect(y.points[4].rates.total).toBeCloseTo((350 + 100) / (1000 + 300));
		expect(y.arrearsKnown).toBe(true);
	});
	it('marks months after today as future', () => {
		expect(y.points.filter((p) => p.future).map((p) => p.month)[0]).toBe('2025-10');
	});
	it('gives null rates with no assessment, and knows when the arrears cannot be known', () => {
		const first = yearTrend(cells, 2024, '2025-09');
		expect(first.arrearsKnown).toBe(false);
		expect(first.points[0].rates.arrears).toBeNull();
		expect(first.points[5].rates.current).toBeCloseTo(500 / 800);
		expect(yearTrend([], 2030, '2030-05').points[0].rates).toEqual({ current: null, arrears: null, total: null });
	});
});

describe('compareYears and points', () => {
	it('puts the year beside the ones before, same month index', () => {
		const ys = compareYears(cells, 2025, '2025-09');
		expect(ys.map((y) => y.fiscalYear)).toEqual([2025, 2024, 2023]);
		expect(ys[1].points[5].month).toBe('2024-09');
	});
	it('gives the difference in percentage points', () => {
		expect(points(0.4567, 0.4)).toBe(5.67);
		expect(points(null, 0.4)).toBeNull();
	});
	it('labels the months of a fiscal year', () => {
		expect(monthLabels('ja')[0]).toBe('4月');
		expect(monthLabels('ja')[11]).toBe('3月');
		expect(monthLabels('en')[9]).toBe('Jan');
	});
});
