/**
 * The call plan (納付案内計画, issue #8 part B), pure: Monday weeks in the Tokyo calendar, the checks a plan week must
 * pass beyond its field types, and progress against the plan (actual ÷ target, expected to date for the week in
 * progress, ahead / on track / behind). No I/O and no zod (the plan page imports this; zod's eval probe trips the
 * strict CSP). The server (src/lib/server/plan/) reads the plan and the calls; docs/kpis.md states the formulas.
 */
import { ratio } from './kpi.ts';
import { isWorkingDay } from './collection-rate.ts';
import { addDays, tokyoDay, tokyoMinutes, weekdayOf } from './tokyo-time.ts';

// ─── weeks ──────────────────────────────────────────────────────────────────

const WEEKDAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;

/** The Monday of the (Monday–Sunday) week an ISO date falls in. */
export function mondayOf(isoDate: string): string {
	return addDays(isoDate, -WEEKDAY_INDEX[weekdayOf(isoDate)]);
}

export function isMonday(isoDate: string): boolean {
	return weekdayOf(isoDate) === 'mon';
}

/** The Monday of the Tokyo week an instant falls in. */
export function tokyoWeekOf(at: Date): string {
	return mondayOf(tokyoDay(at));
}

/** The seven days of the week starting on `weekStart`. */
export function weekDays(weekStart: string): string[] {
	return Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
}

/** The Sunday that ends the week. */
export function weekEnd(weekStart: string): string {
	return addDays(weekStart, 6);
}

/** The ward's working days of the week (not a weekend, a national holiday or the year-end closure 12/29–1/3). */
export function workingDaysOf(weekStart: string): string[] {
	return weekDays(weekStart).filter(isWorkingDay);
}

/** The weeks a fiscal year (April–March) touches: the Monday of the week of April 1 … the Monday of the week of March 31. */
export function fiscalYearWeeks(fy: number): string[] {
	const out: string[] = [];
	for (let w = mondayOf(`${fy}-04-01`); w <= `${fy + 1}-03-31`; w = addDays(w, 7)) out.push(w);
	return out;
}

/** Whether the week starting on `weekStart` (a Monday) overlaps the fiscal year. */
export function weekInFiscalYear(weekStart: string, fy: number): boolean {
	return weekStart >= mondayOf(`${fy}-04-01`) && weekStart <= `${fy + 1}-03-31`;
}

/** A week belongs to the month of its Monday (the manager's monthly report counts the weeks that begin in the month). */
export function monthOfWeek(weekStart: string): string {
	return weekStart.slice(0, 7);
}

// ─── a plan week ────────────────────────────────────────────────────────────

export const PLAN_MEASURES = ['attempts', 'contacts', 'promises'] as const;
export type PlanMeasure = (typeof PLAN_MEASURES)[number];

/** Per measure: 架電件数 attempts, 本人接触 contacts (households), 納付約束 promises. */
export type Measures = Record<PlanMeasure, number>;

export interface PlanWeekInput {
	weekStart: string;
	targetAttempts: number;
	targetContacts: number;
	targetPromises: number;
	staffHours: number;
}

/**
 * What a plan week must satisfy beyond its field types (the server's zod schema checks those): a Monday, a week of
 * the plan's fiscal year, and no more contacts or promises than attempts (each takes at least one). Each problem
 * names its field; none is an empty list.
 */
export function planWeekProblems(w: PlanWeekInput, fiscalYear: number): { path: string[]; message: string }[] {
	const out: { path: string[]; message: string }[] = [];
	if (!isMonday(w.weekStart)) out.push({ path: ['weekStart'], message: 'must be a Monday' });
	else if (!weekInFiscalYear(w.weekStart, fiscalYear)) out.push({ path: ['weekStart'], message: `not a week of fiscal year ${fiscalYear}` });
	if (w.targetContacts > w.targetAttempts) out.push({ path: ['targetContacts'], message: 'at most the target attempts' });
	if (w.targetPromises > w.targetAttempts) out.push({ path: ['targetPromises'], message: 'at most the target attempts' });
	return out;
}

// ─── progress ───────────────────────────────────────────────────────────────

/**
 * The calling day used for the share of today that has passed: 08:00–21:00 Tokyo, the hard calling limits. Before
 * 08:00 none of today has passed, after 21:00 all of it.
 */
export const CALLING_DAY = { from: 8 * 60, to: 21 * 60 } as const;

/** The share (0–1) of today's calling day that has passed at `at`. */
export function callingDayFraction(at: Date): number {
	const m = tokyoMinutes(at);
	return Math.min(1, Math.max(0, (m - CALLING_DAY.from) / (CALLING_DAY.to - CALLING_DAY.from)));
}

/**
 * How much of a week's work should be done by `today` (0–1): working days passed ÷ working days of the week, today
 * counting as `todayFraction` of a day (the share of its calling day passed) when it is a working day. A week not
 * begun: 0; a week over: 1. A week without working days (the year-end closure) is 0 until it is over.
 */
export function weekShare(weekStart: string, today: string, todayFraction = 1): number {
	const end = weekEnd(weekStart);
	if (today < weekStart) return 0;
	if (today > end) return 1;
	const working = workingDaysOf(weekStart);
	if (working.length === 0) return 0;
	const passed = working.filter((d) => d < today).length + (isWorkingDay(today) ? Math.min(1, Math.max(0, todayFraction)) : 0);
	return passed / working.length;
}

/**
 * Ahead / on track / behind: actual against expected to date, with a tolerance of ±10% (PLAN_TOLERANCE). `none`: no
 * target for the measure; `not_started`: nothing expected yet (the week has not begun).
 */
export type PlanStatus = 'ahead' | 'on_track' | 'behind' | 'not_started' | 'none';
export const PLAN_TOLERANCE = 0.1;

/** ahead when actual ≥ 110% of expected, behind when below 90%, on track between. */
export function planStatus(actual: number, expected: number, target: number): PlanStatus {
	if (target <= 0) return 'none';
	if (expected <= 0) return 'not_started';
	const r = actual / expected;
	if (r >= 1 + PLAN_TOLERANCE) return 'ahead';
	if (r >= 1 - PLAN_TOLERANCE) return 'on_track';
	return 'behind';
}

export interface Progress {
	targets: Measures;
	staffHours: number;
	actuals: Measures;
	/** target × share of the week passed, summed over weeks for totals (not rounded) */
	expected: Measures;
	/** actual ÷ target; null when the target is 0 */
	progress: Record<PlanMeasure, number | null>;
	status: Record<PlanMeasure, PlanStatus>;
}

const zero = (): Measures => ({ attempts: 0, contacts: 0, promises: 0 });

function finish(targets: Measures, staffHours: number, actuals: Measures, expected: Measures): Progress {
	const progress = { attempts: 0, contacts: 0, promises: 0 } as Record<PlanMeasure, number | null>;
	const status = {} as Record<PlanMeasure, PlanStatus>;
	for (const m of PLAN_MEASURES) {
		progress[m] = ratio(actuals[m], targets[m]);
		status[m] = planStatus(actuals[m], expected[m], targets[m]);
	}
	return { targets, staffHours, actuals, expected, progress, status };
}

/** One plan cell's progress (a week × a segment), with the week's share passed. */
export function cellProgress(targets: Measures, staffHours: number, actuals: Measures, share: number): Progress {
	const expected = zero();
	for (const m of PLAN_MEASURES) expected[m] = targets[m] * share;
	return finish({ ...targets }, staffHours, { ...actuals }, expected);
}

/** The sum of cells: targets, staffing, actuals and expected add up; progress and status from the sums. */
export function sumProgress(cells: readonly Progress[]): Progress {
	const t = zero();
	const a = zero();
	const e = zero();
	let staff = 0;
	for (const c of cells) {
		staff += c.staffHours;
		for (const m of PLAN_MEASURES) {
			t[m] += c.targets[m];
			a[m] += c.actuals[m];
			e[m] += c.expected[m];
		}
	}
	return finish(t, staff, a, e);
}

// ─── the plan table ─────────────────────────────────────────────────────────

export interface PlanRow {
	id: number;
	weekStart: string;
	segmentId: number;
	targetAttempts: number;
	targetContacts: number;
	targetPromises: number;
	staffHours: number;
}

/** Actual measures of one week × segment (segment 0: calls recorded without a segment). */
export interface ActualRow extends Measures {
	weekStart: string;
	segmentId: number;
}

export interface PlanCell extends Progress {
	id: number;
	segmentId: number;
}

export interface PlanWeek {
	weekStart: string;
	/** share of the week's work that should be done by now (0–1) */
	share: number;
	current: boolean;
	cells: PlanCell[];
	/** the sum of the week's cells */
	total: Progress;
	/** attempts in the week in segments with no plan row that week (not in the totals) */
	unplannedAttempts: number;
	/**
	 * operator-hours worked in the week by all operators (available + on a household + wrap-up, from their recorded
	 * states; operators work several segments, so this is per week only), against the week's planned staffing
	 */
	hoursWorked: number;
}

export interface PlanTable {
	weeks: PlanWeek[];
	/** per segment over all weeks: the sum of its cells */
	segments: (Progress & { segmentId: number })[];
	/** the sum of every cell (= the sum of the weeks' totals = the sum of the segments' totals) */
	total: Progress;
	/** the weeks' hours worked, summed */
	hoursWorked: number;
}

/**
 * The plan's weeks × segments with their actuals and progress, as of `now`. Totals are sums of cells, so the weeks'
 * totals and the segments' totals both add up to the plan's total. Contacts are distinct households per cell: a
 * household contacted in two segments (it moved) or two weeks counts in each, as the cells do.
 */
export function planTable(
	rows: readonly PlanRow[],
	actuals: readonly ActualRow[],
	now: Date,
	segmentOrder: readonly number[] = [],
	/** seconds worked per week (Monday → seconds), see PlanWeek.hoursWorked */
	workedSeconds: ReadonlyMap<string, number> = new Map()
): PlanTable {
	const today = tokyoDay(now);
	const frac = callingDayFraction(now);
	const currentWeek = mondayOf(today);
	const act = new Map(actuals.map((a) => [`${a.weekStart}|${a.segmentId}`, a]));
	const order = new Map(segmentOrder.map((s, i) => [s, i]));
	const rank = (s: number) => order.get(s) ?? Number.MAX_SAFE_INTEGER;
	const byWeek = new Map<string, PlanRow[]>();
	for (const r of rows) byWeek.set(r.weekStart, [...(byWeek.get(r.weekStart) ?? []), r]);
	const weeks: PlanWeek[] = [...byWeek.keys()].sort().map((weekStart) => {
		const share = weekShare(weekStart, today, frac);
		const cells = byWeek
			.get(weekStart)!
			.slice()
			.sort((a, b) => rank(a.segmentId) - rank(b.segmentId) || a.segmentId - b.segmentId)
			.map((r) => {
				const a = act.get(`${weekStart}|${r.segmentId}`);
				const p = cellProgress(
					{ attempts: r.targetAttempts, contacts: r.targetContacts, promises: r.targetPromises },
					r.staffHours,
					{ attempts: a?.attempts ?? 0, contacts: a?.contacts ?? 0, promises: a?.promises ?? 0 },
					share
				);
				return { id: r.id, segmentId: r.segmentId, ...p };
			});
		const planned = new Set(cells.map((c) => c.segmentId));
		const unplannedAttempts = actuals.filter((a) => a.weekStart === weekStart && !planned.has(a.segmentId)).reduce((s, a) => s + a.attempts, 0);
		const hoursWorked = Math.round((workedSeconds.get(weekStart) ?? 0) / 360) / 10;
		return { weekStart, share, current: weekStart === currentWeek, cells, total: sumProgress(cells), unplannedAttempts, hoursWorked };
	});
	const all = weeks.flatMap((w) => w.cells);
	const segmentIds = [...new Set(all.map((c) => c.segmentId))].sort((a, b) => rank(a) - rank(b) || a - b);
	return {
		weeks,
		segments: segmentIds.map((segmentId) => ({ segmentId, ...sumProgress(all.filter((c) => c.segmentId === segmentId)) })),
		total: sumProgress(all),
		hoursWorked: Math.round(weeks.reduce((s, w) => s + w.hoursWorked, 0) * 10) / 10
	};
}

/** The plan's progress for a month (the weeks whose Monday is in it), per segment and in total: the manager's report. */
export interface MonthPlanProgress {
	fiscalYear: number;
	month: string;
	planName: string;
	/** the Mondays of the month's weeks */
	weeks: string[];
	segments: (Progress & { segmentId: number; nameJa: string; nameEn: string })[];
	total: Progress;
}

export function monthProgress(table: PlanTable, month: string): { weeks: string[]; segments: (Progress & { segmentId: number })[]; total: Progress } {
	const weeks = table.weeks.filter((w) => monthOfWeek(w.weekStart) === month);
	const cells = weeks.flatMap((w) => w.cells);
	const ids = [...new Set(cells.map((c) => c.segmentId))];
	// keep the table's segment order
	const ordered = table.segments.map((s) => s.segmentId).filter((s) => ids.includes(s));
	return {
		weeks: weeks.map((w) => w.weekStart),
		segments: ordered.map((segmentId) => ({ segmentId, ...sumProgress(cells.filter((c) => c.segmentId === segmentId)) })),
		total: sumProgress(cells)
	};
}
