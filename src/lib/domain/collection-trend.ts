/**
 * 収納率の推移 (issue #8): the collection rate of a fiscal year by month, cumulative within the year, against the same
 * month of the previous years; for 現年分, 滞納繰越分 and the total (collection-rate.ts). Pure: the server reads the
 * receipts summed by (fiscal year of assessment, month the money was received) and this module does the rest.
 *
 * The money's month: kansho knows, per instalment period, the cumulative amount received (収納額累計) and the dates
 * of its first and last receipt (収納年月日, 最終収納年月日; or the payment dates when the ward gave no receipt date).
 * The whole amount is placed in the month of the **last** date (when the cumulative amount reached what it is);
 * a period paid in two instalments in different months is placed in the later one. Amounts with no date at all are
 * placed before the year (they were received before kansho saw them).
 *
 *   現年分 of year f:      調定額 = Σ assessed of year f's periods;
 *                          収納額 to month M = Σ received of year f's periods received up to the end of M (also
 *                          those received before April: paid in advance).
 *   滞納繰越分 of year f:  調定額 = what the earlier years' periods still owed on April 1 of f
 *                          (Σ assessed − Σ received before April 1 of f, over fiscal years < f);
 *                          収納額 to month M = Σ received of earlier years' periods from April 1 of f to the end of M.
 *   合計:                  both amounts summed, then divided (never the mean of the two rates).
 */
import { collectionRates, type CollectionAmounts, type CollectionRates } from './collection-rate.ts';
import { fiscalYearMonths } from './collection-rate.ts';

/** One group of receipts: the assessment's fiscal year and the month ('YYYY-MM', or null: no date) the money came. */
export interface ReceiptCell {
	fiscalYear: number;
	month: string | null;
	assessed: number;
	received: number;
}

export interface TrendPoint {
	/** 'YYYY-MM' */
	month: string;
	/** cumulative from April to the end of this month */
	amounts: CollectionAmounts;
	rates: CollectionRates;
	/** the month is after today's: no figure yet */
	future: boolean;
}

export interface YearTrend {
	fiscalYear: number;
	points: TrendPoint[];
	/** whether the data reach back far enough to know the carried-over arrears (a year before f is present) */
	arrearsKnown: boolean;
}

/** The cumulative amounts and rates of fiscal year `fy` month by month (April … March). */
export function yearTrend(cells: readonly ReceiptCell[], fy: number, todayMonth: string): YearTrend {
	const start = `${fy}-04`;
	const months = fiscalYearMonths(fy);
	const currentAssessed = sum(cells.filter((c) => c.fiscalYear === fy).map((c) => c.assessed));
	const earlier = cells.filter((c) => c.fiscalYear < fy);
	const receivedBefore = sum(earlier.filter((c) => c.month === null || c.month < start).map((c) => c.received));
	const arrearsAssessed = Math.max(0, sum(earlier.map((c) => c.assessed)) - receivedBefore);
	const points = months.map((m) => {
		const current = { assessed: currentAssessed, received: sum(cells.filter((c) => c.fiscalYear === fy && (c.month === null || c.month <= m)).map((c) => c.received)) };
		const arrears = { assessed: arrearsAssessed, received: sum(earlier.filter((c) => c.month !== null && c.month >= start && c.month <= m).map((c) => c.received)) };
		const amounts = { current, arrears };
		return { month: m, amounts, rates: collectionRates(amounts), future: m > todayMonth };
	});
	return { fiscalYear: fy, points, arrearsKnown: cells.some((c) => c.fiscalYear < fy) };
}

/** Percentage points between two rates (this year − the year compared), null when either is missing. */
export function points(a: number | null, b: number | null): number | null {
	return a === null || b === null ? null : Math.round((a - b) * 10_000) / 100;
}

/** The trend of `fy` and of the `years` before it, same months side by side (month index 0 = April). */
export function compareYears(cells: readonly ReceiptCell[], fy: number, todayMonth: string, years = 2): YearTrend[] {
	return Array.from({ length: years + 1 }, (_, i) => yearTrend(cells, fy - i, todayMonth));
}

/** The months of the fiscal year as labels: 4月 … 3月 / Apr … Mar. */
export function monthLabels(lang: 'ja' | 'en'): string[] {
	const en = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'];
	return lang === 'ja' ? [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => `${m}月`) : en;
}

function sum(xs: number[]): number {
	return xs.reduce((a, b) => a + b, 0);
}
