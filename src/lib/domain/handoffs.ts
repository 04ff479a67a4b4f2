/**
 * Staff handoffs (職員引継ぎ): states and what may follow what, Japanese working days (weekends, national holidays
 * and the ward's year-end closure 12/29–1/3 are not working days), the service-level target's due time, overdue and
 * age. Pure: the server (src/lib/server/handoffs) stores and the pages show what these say.
 */
import { addDays, isJapaneseHoliday, isYearEndClosure, tokyoAt, tokyoDay, tokyoMinutes as tokyoMinutesOf, weekdayOf } from './tokyo-time.ts';
import { dualDate, type Locale } from './format.ts';
import { handoffReasons, type HandoffReason } from './outcomes.ts';
import { dateProblem } from './date-range.ts';
import { problem, type FieldProblem } from './field-problem.ts';

export { handoffReasons, type HandoffReason };

/**
 * - new: in the staff pool (or assigned to someone who has not taken it up yet)
 * - in_progress: a staff member took it
 * - resolved: done by the ward, with a resolution code and text
 * - returned: given back to the call center with an instruction for operators (the household is called again)
 */
export const handoffStates = ['new', 'in_progress', 'resolved', 'returned'] as const;
export type HandoffState = (typeof handoffStates)[number];

/** States in which the handoff is still the ward's (the household is not called). */
export const openStates: readonly HandoffState[] = ['new', 'in_progress'];
export function isOpen(s: HandoffState): boolean {
	return s === 'new' || s === 'in_progress';
}

/** What staff do to a handoff. */
export type HandoffAction = 'take' | 'assign' | 'note' | 'resolve' | 'return';

/**
 * Whether `action` is allowed in state `s`, and the state after it:
 * - take (a staff member takes it for themselves): new → in_progress; in_progress → in_progress only when
 *   assigned to nobody or to the taker (another staff member's handoff is not taken over silently: assign it)
 * - assign (to a staff member, or back to the pool with null): new or in_progress; the state becomes new (the
 *   assignee takes it up)
 * - note (with or without "contacted the resident"): new or in_progress, state unchanged
 * - resolve, return: in_progress only (someone must have taken it)
 * Resolved and returned are final: a new conversation makes a new handoff.
 */
export function transition(
	s: HandoffState,
	action: HandoffAction,
	ctx: { actorId: number; assignedTo: number | null }
): { ok: true; to: HandoffState } | { ok: false; problem: 'closed' | 'not_taken' | 'taken_by_other' } {
	if (!isOpen(s)) return { ok: false, problem: 'closed' };
	switch (action) {
		case 'take':
			if (s === 'in_progress' && ctx.assignedTo !== null && ctx.assignedTo !== ctx.actorId) return { ok: false, problem: 'taken_by_other' };
			if (s === 'new' && ctx.assignedTo !== null && ctx.assignedTo !== ctx.actorId) return { ok: false, problem: 'taken_by_other' };
			return { ok: true, to: 'in_progress' };
		case 'assign':
			return { ok: true, to: 'new' };
		case 'note':
			return { ok: true, to: s };
		case 'resolve':
			if (s !== 'in_progress') return { ok: false, problem: 'not_taken' };
			return { ok: true, to: 'resolved' };
		case 'return':
			if (s !== 'in_progress') return { ok: false, problem: 'not_taken' };
			return { ok: true, to: 'returned' };
	}
}

/**
 * How a resolved handoff ended. `resumesCalls`: the center may call the household again (it re-enters the queue);
 * the others keep it out of the calls (the ward handles it: an installment plan, a reduction application, a
 * referral, a payment). To have operators call with a particular message, staff return the handoff instead.
 */
export const resolutionCodes = [
	{ code: 'installment_agreed', ja: '分納誓約', en: 'Installment plan agreed', resumesCalls: false },
	{ code: 'reduction_applied', ja: '減免・軽減の申請受付', en: 'Reduction application received', resumesCalls: false },
	{ code: 'paid', ja: '納付確認', en: 'Payment confirmed', resumesCalls: false },
	{ code: 'referred', ja: '福祉等の窓口へつないだ', en: 'Referred to welfare or another office', resumesCalls: false },
	{ code: 'complaint_handled', ja: '苦情対応済み', en: 'Complaint handled', resumesCalls: false },
	{ code: 'resume_calls', ja: '対応済み・架電再開', en: 'Done, calls may resume', resumesCalls: true },
	{ code: 'other', ja: 'その他', en: 'Other', resumesCalls: false }
] as const;
export type ResolutionCode = (typeof resolutionCodes)[number]['code'];
export const resolutionCodeList = resolutionCodes.map((r) => r.code) as [ResolutionCode, ...ResolutionCode[]];

export function resumesCalls(code: string): boolean {
	return resolutionCodes.find((r) => r.code === code)?.resumesCalls ?? false;
}

// ─── working days ────────────────────────────────────────────────────────────

/** A working day of the ward: Monday–Friday, not a national holiday, not 12/29–1/3. */
export function isWorkingDay(isoDate: string): boolean {
	const w = weekdayOf(isoDate);
	if (w === 'sat' || w === 'sun') return false;
	return !isJapaneseHoliday(isoDate) && !isYearEndClosure(isoDate);
}

/** The `n`th working day after `isoDate` (n ≥ 1; the day itself does not count). */
export function addWorkingDays(isoDate: string, n: number): string {
	if (!Number.isInteger(n) || n < 1) throw new RangeError('addWorkingDays: n must be a whole number ≥ 1');
	let d = isoDate;
	for (let left = n; left > 0; ) {
		d = addDays(d, 1);
		if (isWorkingDay(d)) left--;
	}
	return d;
}

/** Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(from: string, to: string): number {
	let n = 0;
	for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
	return n;
}

/**
 * The SLA's due time: the end (Tokyo midnight after) of the `workingDays`th working day after the day the handoff
 * was made. A handoff made on Friday with 2 days is due by the end of Tuesday; one made on a Saturday counts from
 * Monday the same way (Monday is day 1).
 */
export function slaDueAt(createdAt: Date, workingDays: number): Date {
	const last = addWorkingDays(tokyoDay(createdAt), workingDays);
	return tokyoAt(addDays(last, 1));
}

/** The default targets (migration 00017): 2 working days, a complaint 1. */
export const defaultSlaDays: Record<HandoffReason, number> = { installment: 2, hardship: 2, reduction: 2, complaint: 1, other: 2 };

/**
 * Overdue: still open, the resident not yet contacted, and past its due time. A first contact (a staff note marked
 * "contacted") stops the clock; so does closing the handoff.
 */
export function isOverdue(h: { status: HandoffState; dueAt: Date | string | null; firstContactAt: Date | string | null }, now: Date): boolean {
	if (!isOpen(h.status) || h.firstContactAt || !h.dueAt) return false;
	return now.getTime() > new Date(h.dueAt).getTime();
}

/** Age in whole hours from `createdAt` to `until` (now, or when it was closed). */
export function ageHours(createdAt: Date | string, until: Date): number {
	return Math.max(0, Math.floor((until.getTime() - new Date(createdAt).getTime()) / 3_600_000));
}

/** An age for people: '3日4時間' / '3d 4h'; under a day '5時間' / '5h'. */
export function ageText(hours: number, locale: 'ja' | 'en'): string {
	const d = Math.floor(hours / 24);
	const h = hours % 24;
	if (locale === 'ja') return d > 0 ? `${d}日${h}時間` : `${h}時間`;
	return d > 0 ? `${d}d ${h}h` : `${h}h`;
}

// ─── the list: filters and sorting ───────────────────────────────────────────

export const listSorts = ['age', 'due'] as const;
export type ListSort = (typeof listSorts)[number];
/** Assignee filter: anyone in scope, the pool (unassigned), or mine. */
export const assigneeFilters = ['any', 'unassigned', 'mine'] as const;
export type AssigneeFilter = (typeof assigneeFilters)[number];
/** State filter: open (new + in progress, the default), one state, or all. */
export const stateFilters = ['open', 'all', ...handoffStates] as const;
export type StateFilter = (typeof stateFilters)[number];

/** Counts and ages of open handoffs by reason (the supervisor console, managers' reports). */
export interface HandoffReasonSummary {
	reason: HandoffReason;
	open: number;
	/** of which no staff member has taken it yet */
	untaken: number;
	overdue: number;
	/** the oldest open one's age in hours (0 when none) */
	oldestHours: number;
	/** the mean age of open ones in hours (0 when none) */
	meanHours: number;
}
export interface HandoffSummary {
	byReason: HandoffReasonSummary[];
	total: { open: number; untaken: number; overdue: number; oldestHours: number };
}

/** Summarize open handoffs (status, reason, created, due, first contact) as of `now`. */
export function summarize(
	rows: readonly { reason: HandoffReason; status: HandoffState; createdAt: Date | string; dueAt: Date | string | null; firstContactAt: Date | string | null }[],
	now: Date
): HandoffSummary {
	const byReason = handoffReasons.map((reason) => {
		const mine = rows.filter((r) => r.reason === reason && isOpen(r.status));
		const ages = mine.map((r) => ageHours(r.createdAt, now));
		return {
			reason,
			open: mine.length,
			untaken: mine.filter((r) => r.status === 'new').length,
			overdue: mine.filter((r) => isOverdue(r, now)).length,
			oldestHours: ages.length ? Math.max(...ages) : 0,
			meanHours: ages.length ? Math.round(ages.reduce((a, b) => a + b, 0) / ages.length) : 0
		};
	});
	return {
		byReason,
		total: {
			open: byReason.reduce((n, r) => n + r.open, 0),
			untaken: byReason.reduce((n, r) => n + r.untaken, 0),
			overdue: byReason.reduce((n, r) => n + r.overdue, 0),
			oldestHours: Math.max(0, ...byReason.map((r) => r.oldestHours))
		}
	};
}

// ─── display ──────────────────────────────────────────────────────────────

/** A Tokyo date and time the way staff read it: '2026-12-01（令和8年12月1日） 10:00' ('2026-12-01 (Reiwa 8) 10:00' in English). */
export function staffDateTime(at: Date | string, locale: Locale = 'ja'): string {
	const d = typeof at === 'string' ? new Date(at) : at;
	const m = tokyoMinutesOf(d);
	return `${dualDate(tokyoDay(d), locale)} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The callback window: '2026-12-01（令和8年12月1日） 10:00〜12:00', or '… 10:00〜' / '〜 2026-12-01 … 12:00'; null when none. */
export function callbackWindowText(from: Date | string | null, until: Date | string | null): string | null {
	if (!from && !until) return null;
	if (from && until) {
		const f = new Date(from);
		const u = new Date(until);
		if (tokyoDay(f) === tokyoDay(u)) return `${staffDateTime(f)}〜${staffDateTime(u).slice(-5)}`;
		return `${staffDateTime(f)}〜${staffDateTime(u)}`;
	}
	return from ? `${staffDateTime(from)}〜` : `〜${staffDateTime(until!)}`;
}

/**
 * The due time as staff read it. slaDueAt makes it the Tokyo midnight after the due day (an exclusive bound), which
 * reads as "the next day at 00:00"; staff think in the day it must be done by: '2026-12-01（令和8年12月1日）中' /
 * '2026-12-01 (Reiwa 8), end of day'. A due time that is not a Tokyo midnight is shown as it is.
 */
export function staffDueText(dueAt: Date | string, lang: 'ja' | 'en' | string): string {
	const d = typeof dueAt === 'string' ? new Date(dueAt) : dueAt;
	const locale: Locale = lang === 'en' ? 'en' : 'ja';
	if (tokyoMinutesOf(d) !== 0 || d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0) return staffDateTime(d, locale);
	const day = tokyoDay(new Date(d.getTime() - 1));
	return locale === 'ja' ? `${dualDate(day, 'ja')}中` : `${dualDate(day, 'en')}, end of day`;
}

// ─── "call again, but not before" (再架電は次の日以降) ──────────────────────────

/** How far ahead a return's "not before" day may be (a payday, a consultation date: within three months). */
export const RECALL_HORIZON_DAYS = 90;

/**
 * The "call again, but not before" day of a return ('YYYY-MM-DD', Tokyo): blank means none; else a real date, not
 * before today and at most RECALL_HORIZON_DAYS days after it. Codes (validation.<code>): date_format,
 * no_such_date (value), date_in_past (min: today), date_beyond_horizon (max: the last day allowed, days). Pure: the
 * staff page checks the same in the browser and the server checks it at the boundary.
 */
export function recallNotBeforeProblem(v: unknown, today: string): FieldProblem | null {
	const p = dateProblem(v, false);
	if (p) return p;
	const s = typeof v === 'string' ? v.trim() : '';
	if (s === '') return null;
	if (s < today) return problem('date_in_past', `must not be before today (${today})`, { min: today });
	const last = addDays(today, RECALL_HORIZON_DAYS);
	if (s > last) return problem('date_beyond_horizon', `must be at most ${RECALL_HORIZON_DAYS} days ahead (${last})`, { max: last, days: RECALL_HORIZON_DAYS });
	return null;
}

/** The "not before" day as the operator's card and the staff page show it: 2026-12-15（令和8年12月15日）以降. */
export function notBeforeText(isoDate: string, lang: 'ja' | 'en' | string): string {
	return lang === 'ja' ? `${dualDate(isoDate)} 以降` : `from ${dualDate(isoDate, 'en')}`;
}
