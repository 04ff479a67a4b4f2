/**
 * 収納率 (collection rate) and the period arithmetic of the daily and monthly reports (issue #8 part A). Plain
 * functions without I/O; docs/kpis.md states every formula. A zero denominator gives null (kpi.ts ratio), never 0%.
 */
import { ratio } from './kpi.ts';
import { addDays, isJapaneseHoliday, isYearEndClosure, weekdayOf } from './tokyo-time.ts';

/** Money of one kind of assessment: 調定額 (assessed) and 収納額 (received), yen. */
export interface Amounts {
	assessed: number;
	received: number;
}

export interface CollectionAmounts {
	/** 現年分: this fiscal year's assessments */
	current: Amounts;
	/** 滞納繰越分: earlier fiscal years' arrears carried over */
	arrears: Amounts;
}

export interface CollectionRates {
	/** 現年分の収納率 = current received ÷ current assessed */
	current: number | null;
	/** 滞納繰越分の収納率 = arrears received ÷ arrears assessed */
	arrears: number | null;
	/** 合計の収納率 = (current + arrears received) ÷ (current + arrears assessed): not the mean of the two rates */
	total: number | null;
}

export const COLLECTION_RATE_FORMULA = {
	ja: '収納率 = 収納額 ÷ 調定額（現年分・滞納繰越分・合計を別々に。合計は両者の額を合算してから割る。居所不明を除く場合は分子・分母の両方から除く）',
	en: 'Collection rate = received ÷ assessed (current year, arrears and total separately; the total divides the summed amounts; excluding 居所不明 removes those households from numerator and denominator)'
} as const;

export function collectionRates(a: CollectionAmounts): CollectionRates {
	return {
		current: ratio(a.current.received, a.current.assessed),
		arrears: ratio(a.arrears.received, a.arrears.assessed),
		total: ratio(a.current.received + a.arrears.received, a.current.assessed + a.arrears.assessed)
	};
}

/**
 * The amounts without the households whose whereabouts are unknown (居所不明): their assessed and received amounts
 * are removed from both sides. An exclusion larger than the total (inconsistent input) is an error, not a negative.
 */
export function excludeAmounts(all: CollectionAmounts, excluded: CollectionAmounts): CollectionAmounts {
	const minus = (a: Amounts, b: Amounts, what: string): Amounts => {
		if (b.assessed > a.assessed || b.received > a.received) throw new RangeError(`${what}: excluded amounts exceed the totals`);
		return { assessed: a.assessed - b.assessed, received: a.received - b.received };
	};
	return { current: minus(all.current, excluded.current, 'current'), arrears: minus(all.arrears, excluded.arrears, 'arrears') };
}

/** Sum additive counts (attempts, promises, amounts…) of several rows: per-operator rows to a team, teams to a total. */
export function sumCounts<K extends string>(rows: readonly Record<K, number>[], keys: readonly K[]): Record<K, number> {
	const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
	for (const r of rows) for (const k of keys) out[k] += r[k] ?? 0;
	return out;
}

// ---------------------------------------------------------------------------------------------------------
// Periods

/** The fiscal year's months, April … March, as 'YYYY-MM'. */
export function fiscalYearMonths(fy: number): string[] {
	return Array.from({ length: 12 }, (_, i) => {
		const m = ((3 + i) % 12) + 1;
		return `${m >= 4 ? fy : fy + 1}-${String(m).padStart(2, '0')}`;
	});
}

/** The days of a month 'YYYY-MM' as ISO dates. */
export function daysOfMonth(month: string): string[] {
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`month: expected YYYY-MM, got ${month}`);
	const out: string[] = [];
	for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) out.push(d);
	return out;
}

/**
 * How much of a period [from, to) has passed on `today` (a partial period: the month or fiscal year in progress):
 * elapsed days (today included) and the total. A period that has not begun has 0 elapsed, a past one all of them.
 */
export function periodProgress(from: string, to: string, today: string): { elapsedDays: number; totalDays: number; partial: boolean } {
	const day = 86_400_000;
	const f = Date.parse(`${from}T00:00:00Z`);
	const t = Date.parse(`${to}T00:00:00Z`);
	if (!(t > f)) throw new RangeError('to: must be after from');
	const totalDays = Math.round((t - f) / day);
	const elapsed = Math.round((Date.parse(`${today}T00:00:00Z`) - f) / day) + 1;
	const elapsedDays = Math.max(0, Math.min(totalDays, elapsed));
	return { elapsedDays, totalDays, partial: elapsedDays < totalDays };
}

/** The ward works on a day that is not a weekend, a national holiday or in the year-end closure (12/29–1/3). */
export function isWorkingDay(isoDate: string): boolean {
	const w = weekdayOf(isoDate);
	return w !== 'sat' && w !== 'sun' && !isJapaneseHoliday(isoDate) && !isYearEndClosure(isoDate);
}

/** The first working day of a month 'YYYY-MM' (the scheduled monthly report of the month before runs then). */
export function firstWorkingDayOf(month: string): string {
	const d = daysOfMonth(month).find(isWorkingDay);
	if (!d) throw new RangeError(`${month}: no working day`);
	return d;
}
