/**
 * The supervisor console's live charts (issue #6), as data: today by hour against the same weekday last week,
 * promises and the amount promised, and a funnel per segment. Pure: the SQL that counts is in
 * src/lib/server/live/charts.queries.ts; the definitions (what each count is, which denominator each rate has) are
 * written once in docs/kpis.md and here, and every chart states them from here.
 *
 * Nothing here identifies a household: counts, sums and segment names only.
 */
import { RATE_DEFS, rates, ratio, type CallCounts, type CountKey, type Rates } from './kpi.ts';

/** The hours a chart always shows (the hard calling limits 08:00–21:00, Tokyo); hours with calls outside them are added. */
export const CHART_HOURS: readonly number[] = Array.from({ length: 14 }, (_, i) => i + 8);

/** The measures counted per hour (and per day): kpi.ts's CallCounts plus the amount promised. */
export interface HourCounts extends CallCounts {
	/** 約束金額: sum of the amounts promised on the calls (yen) */
	promisedAmount: number;
}
export type HourPoint = HourCounts & Rates;

export interface HourRow {
	hour: number;
	today: HourPoint;
	/** the same hour of the same weekday seven days before */
	lastWeek: HourPoint;
}

/** A count that is a measure of its own (no denominator) or a rate's part. */
export type MeasureCount = CountKey | 'promisedAmount';

/** One by-hour chart: what it plots and its formula (numerator ÷ denominator; a count has no denominator). */
export interface HourlyChartDef {
	key: 'attempts' | 'contactRate' | 'rightPartyRate' | 'promiseRate' | 'promises' | 'promisedAmount';
	unit: 'count' | 'rate' | 'yen';
	numerator: MeasureCount;
	denominator: CountKey | null;
}

/** The by-hour charts, in the order the console shows them. Rates take RATE_DEFS (kpi.ts) as they are. */
export const HOURLY_CHARTS: readonly HourlyChartDef[] = [
	{ key: 'attempts', unit: 'count', numerator: 'attempts', denominator: null },
	{ key: 'contactRate', unit: 'rate', ...RATE_DEFS.contactRate },
	{ key: 'rightPartyRate', unit: 'rate', ...RATE_DEFS.rightPartyRate },
	{ key: 'promiseRate', unit: 'rate', ...RATE_DEFS.promiseRate },
	{ key: 'promises', unit: 'count', numerator: 'promises', denominator: null },
	{ key: 'promisedAmount', unit: 'yen', numerator: 'promisedAmount', denominator: null }
];

/** A chart's value at a point: the count itself, or the rate (null when its denominator is 0: "no data", never 0%). */
export function chartValue(def: HourlyChartDef, p: HourPoint): number | null {
	return def.denominator === null ? p[def.numerator] : ratio(p[def.numerator], p[def.denominator]);
}

/** The funnel's stages, each a subset of the one before except `paid` (of `attempted`): see docs/kpis.md. */
export const FUNNEL_STAGES = ['households', 'dialable', 'attempted', 'contacted', 'promised', 'paid'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Each stage's denominator (its rate = stage ÷ denominator). */
export const FUNNEL_DENOMINATOR: Record<FunnelStage, FunnelStage | null> = {
	households: null,
	dialable: 'households',
	attempted: 'dialable',
	contacted: 'attempted',
	promised: 'contacted',
	paid: 'attempted'
};

/**
 * Queue wait reasons under which a household still counts as dialable (it waits only for pacing, a window or its
 * appointment); the others (payment, promise, handoff, do_not_call) hold it back from calls altogether.
 */
export const DIALABLE_WAIT_REASONS: readonly string[] = ['retry', 'gap', 'daily_limit', 'weekly_limit', 'slot', 'window', 'callback', 'shared_phone'];

export type FunnelCounts = Record<FunnelStage, number>;

export interface FunnelStageValue {
	stage: FunnelStage;
	count: number;
	denominator: FunnelStage | null;
	/** count ÷ the denominator stage's count; null for the first stage or a zero denominator */
	rate: number | null;
}

export interface FunnelRow {
	segmentId: number;
	code: string;
	nameJa: string;
	nameEn: string;
	stages: FunnelStageValue[];
}

export interface FloorCharts {
	/** today (Tokyo, 'YYYY-MM-DD') and the day it is compared with (seven days before: the same weekday) */
	day: string;
	lastWeekDay: string;
	/** CHART_HOURS, plus any other hour with calls on either day, in order */
	hourly: HourRow[];
	/** whole-day figures (households counted once a day, not once an hour) */
	today: HourPoint;
	lastWeek: HourPoint;
	/** per active segment, in the segments' order */
	funnel: FunnelRow[];
}

export const ZERO_COUNTS: HourCounts = Object.freeze({
	attempts: 0,
	answeredAttempts: 0,
	householdsAttempted: 0,
	householdsContacted: 0,
	rightPartyContacts: 0,
	promises: 0,
	promisedAmount: 0
});

/** Counts with their rates (kpi.ts's rates(), nothing else). */
export function point(c: Partial<HourCounts> | undefined): HourPoint {
	const counts: HourCounts = { ...ZERO_COUNTS };
	for (const k of Object.keys(ZERO_COUNTS) as (keyof HourCounts)[]) counts[k] = Number(c?.[k] ?? 0);
	return { ...counts, ...rates(counts) };
}

/** Adds counts (live rows and the figures kept for households erased: disjoint sets of households, so they add). */
export function addCounts(a: Partial<HourCounts>, b: Partial<HourCounts>): HourCounts {
	const out: HourCounts = { ...ZERO_COUNTS };
	for (const k of Object.keys(ZERO_COUNTS) as (keyof HourCounts)[]) out[k] = Number(a[k] ?? 0) + Number(b[k] ?? 0);
	return out;
}

/** The ISO date `n` days after `day` ('YYYY-MM-DD'; calendar arithmetic). */
export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/** A row of counts as the query returns them: which day, which hour (null = the whole day). */
export interface CountRow extends Partial<HourCounts> {
	day: 'today' | 'lastWeek';
	hour: number | null;
}

/** The hourly rows for both days: every chart hour present, plus hours outside them that have calls. */
export function hourlyRows(rows: readonly CountRow[]): HourRow[] {
	const key = (day: string, hour: number) => `${day}:${hour}`;
	const byKey = new Map<string, HourCounts>();
	for (const r of rows) {
		if (r.hour === null) continue;
		const k = key(r.day, r.hour);
		byKey.set(k, addCounts(byKey.get(k) ?? ZERO_COUNTS, r));
	}
	const hours = [...new Set([...CHART_HOURS, ...rows.filter((r) => r.hour !== null).map((r) => r.hour as number)])].sort((a, b) => a - b);
	return hours.map((hour) => ({ hour, today: point(byKey.get(key('today', hour))), lastWeek: point(byKey.get(key('lastWeek', hour))) }));
}

/** The whole-day point of one day (rows with hour null, summed). */
export function dayTotals(rows: readonly CountRow[], day: 'today' | 'lastWeek'): HourPoint {
	return point(rows.filter((r) => r.day === day && r.hour === null).reduce<HourCounts>((acc, r) => addCounts(acc, r), { ...ZERO_COUNTS }));
}

/** One segment's funnel with each stage's rate over its denominator stage. */
export function funnelStages(c: Partial<FunnelCounts>): FunnelStageValue[] {
	const n = (s: FunnelStage) => Number(c[s] ?? 0);
	return FUNNEL_STAGES.map((stage) => {
		const d = FUNNEL_DENOMINATOR[stage];
		return { stage, count: n(stage), denominator: d, rate: d === null ? null : ratio(n(stage), n(d)) };
	});
}

export interface FunnelCountRow extends Partial<FunnelCounts> {
	segmentId: number;
	code: string;
	nameJa: string;
	nameEn: string;
}

export function buildFloorCharts(input: { day: string; counts: readonly CountRow[]; funnel: readonly FunnelCountRow[] }): FloorCharts {
	return {
		day: input.day,
		lastWeekDay: addDays(input.day, -7),
		hourly: hourlyRows(input.counts),
		today: dayTotals(input.counts, 'today'),
		lastWeek: dayTotals(input.counts, 'lastWeek'),
		funnel: input.funnel.map((f) => ({ segmentId: Number(f.segmentId), code: f.code, nameJa: f.nameJa, nameEn: f.nameEn, stages: funnelStages(f) }))
	};
}

/** The latest chart hour with calls today (the hour a text summary speaks of), or null before the first call. */
export function latestHourWithCalls(charts: Pick<FloorCharts, 'hourly'>): HourRow | null {
	for (let i = charts.hourly.length - 1; i >= 0; i--) if (charts.hourly[i].today.attempts > 0) return charts.hourly[i];
	return null;
}

/** An empty FloorCharts for `day` (a page rendered before the first snapshot, or tests). */
export function emptyFloorCharts(day: string): FloorCharts {
	return buildFloorCharts({ day, counts: [], funnel: [] });
}
