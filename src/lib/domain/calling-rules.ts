/**
 * Calling rules (架電ルール): when a household may be called. Pure functions over the household's facts
 * (household-facts.ts); the queue engine calls `placement` after every call, import and rule change, and the
 * claim checks `isWithinWindow` for everyone at claim time. No I/O: this file also runs in the browser.
 *
 * Time: Asia/Tokyo has no daylight saving time and has been UTC+9 since 1951, so local Tokyo time is computed by
 * adding 9 hours to the instant (correct on a machine in any time zone, and cheap in the queue's hot paths).
 * Rules and their order are documented in docs/queue.md.
 */
import { z } from 'zod';
import { issueProblems, type FieldProblem, type IssueLike } from './field-problem.ts';
import type { HouseholdFacts, TimeSlot } from './household-facts.ts';
import { addDays, holidayName, isJapaneseHoliday, isYearEndClosure, minutesOf, tokyoAt, tokyoDay, tokyoMinutes, weekdayOf } from './tokyo-time.ts';
// Tokyo time and the ward's calendar live in tokyo-time.ts (no zod: pages import them); re-exported for the rules' users
export { addDays, holidayName, isJapaneseHoliday, isYearEndClosure, minutesOf, tokyoAt, tokyoDay, tokyoMinutes, weekdayOf };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type DayKind = Weekday | 'holiday';
export const dayKinds: readonly DayKind[] = [...weekdays, 'holiday'];

/** A calling window in Tokyo time, 'HH:MM' (end exclusive). */
export interface CallingWindow {
	start: string;
	end: string;
}

export interface CallingRules {
	/** per weekday and for holidays; null = no calls that day */
	windows: Record<DayKind, CallingWindow | null>;
	maxAttemptsPerDay: number;
	maxAttemptsPerWeek: number;
	minGapMinutes: number;
	/** rotate attempts across morning / afternoon / evening */
	rotateSlots: boolean;
	/** no calls for this many days after a payment (payment data arrives up to 2 weeks late) */
	paymentSuppressDays: number;
	/** full days after an open promise's date before calling again */
	promiseGraceDays: number;
	/** a callback reserved "only me" goes to anyone after this */
	callbackGraceMinutes: number;
	/** after saving an outcome, before the next household is offered */
	wrapUpSeconds: number;
	/** how far ahead a promise may be dated */
	promiseHorizonDays: number;
	/**
	 * The ward's year-end closure (年末年始, 12/29–1/3) counts as holidays (the `holiday` window). 1/2, 1/3 and
	 * 12/29–12/31 are not national holidays, but the ward's offices are closed. Absent = true.
	 */
	yearEndClosure?: boolean;
}

/** Hard limits no configuration can exceed: no calls before 08:00 or from 21:00 on (Tokyo). */
export const HARD_LIMITS = { start: '08:00', end: '21:00' } as const satisfies CallingWindow;

const weekdayWindow: CallingWindow = { start: '09:00', end: '20:00' };

export const defaultCallingRules: CallingRules = {
	windows: {
		mon: weekdayWindow,
		tue: weekdayWindow,
		wed: weekdayWindow,
		thu: weekdayWindow,
		fri: weekdayWindow,
		sat: null,
		sun: null,
		holiday: null
	},
	maxAttemptsPerDay: 2,
	maxAttemptsPerWeek: 5,
	minGapMinutes: 120,
	rotateSlots: true,
	paymentSuppressDays: 14,
	promiseGraceDays: 3,
	callbackGraceMinutes: 15,
	wrapUpSeconds: 30,
	promiseHorizonDays: 90,
	yearEndClosure: true
};

// ---------------------------------------------------------------------------------------------------------
// Tokyo time (UTC+9, no DST)

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Tokyo: before 12:00 morning, before 17:00 afternoon, else evening. */
export function timeSlot(at: Date): TimeSlot {
	const m = tokyoMinutes(at);
	return m < 12 * 60 ? 'morning' : m < 17 * 60 ? 'afternoon' : 'evening';
}

/** The wall-clock bounds of each slot. */
export const slotBounds: Record<TimeSlot, CallingWindow> = {
	morning: { start: '00:00', end: '12:00' },
	afternoon: { start: '12:00', end: '17:00' },
	evening: { start: '17:00', end: '24:00' }
};
export const timeSlots: readonly TimeSlot[] = ['morning', 'afternoon', 'evening'];

// ---------------------------------------------------------------------------------------------------------
// Holidays and windows

/** Which window applies on a date: 'holiday' on national holidays (and the year-end closure), else the weekday. */
export function dayKindOf(rules: Pick<CallingRules, 'yearEndClosure'>, isoDate: string): DayKind {
	if (isJapaneseHoliday(isoDate)) return 'holiday';
	if (rules.yearEndClosure !== false && isYearEndClosure(isoDate)) return 'holiday';
	return weekdayOf(isoDate);
}

/** The calling window on a Tokyo date as instants (clamped to HARD_LIMITS), or null when no calls that day. */
export function windowOn(rules: CallingRules, isoDate: string): { start: Date; end: Date } | null {
	const w = rules.windows[dayKindOf(rules, isoDate)];
	if (!w) return null;
	const start = Math.max(minutesOf(w.start), minutesOf(HARD_LIMITS.start));
	const end = Math.min(minutesOf(w.end), minutesOf(HARD_LIMITS.end));
	if (start >= end) return null;
	const midnight = tokyoAt(isoDate).getTime();
	return { start: new Date(midnight + start * MINUTE), end: new Date(midnight + end * MINUTE) };
}

/** Whether an instant is inside that day's calling window (start inclusive, end exclusive). */
export function isWithinWindow(rules: CallingRules, at: Date): boolean {
	const w = windowOn(rules, tokyoDay(at));
	return w !== null && at >= w.start && at < w.end;
}

/** Days ahead that nextWindowOpen looks. */
export const WINDOW_LOOKAHEAD_DAYS = 14;

/** The first instant ≥ after inside a calling window; null if there is none within 14 days. */
export function nextWindowOpen(rules: CallingRules, after: Date): Date | null {
	const day = tokyoDay(after);
	for (let i = 0; i <= WINDOW_LOOKAHEAD_DAYS; i++) {
		const w = windowOn(rules, addDays(day, i));
		if (w && after < w.end) return after > w.start ? after : w.start;
	}
	return null;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration schema

const hhmm = (path: string) => z.string({ message: `${path}: must be a time HH:MM` }).regex(/^([01]\d|2[0-4]):[0-5]\d$/, { message: `${path}: must be a time HH:MM` });
const windowSchema = (day: DayKind) =>
	z
		.strictObject({ start: hhmm(`windows.${day}.start`), end: hhmm(`windows.${day}.end`) })
		.superRefine((w, ctx) => {
			const p = `windows.${day}`;
			// params.code: the stable code the page words in the user's language (callingRulesProblems)
			if (minutesOf(w.start) < minutesOf(HARD_LIMITS.start))
				ctx.addIssue({ code: 'custom', path: ['start'], message: `${p}.start: must not be before ${HARD_LIMITS.start} (hard limit)`, params: { code: 'before_hard_limit', limit: HARD_LIMITS.start } });
			if (minutesOf(w.end) > minutesOf(HARD_LIMITS.end))
				ctx.addIssue({ code: 'custom', path: ['end'], message: `${p}.end: must not be after ${HARD_LIMITS.end} (hard limit)`, params: { code: 'after_hard_limit', limit: HARD_LIMITS.end } });
			if (minutesOf(w.start) >= minutesOf(w.end))
				ctx.addIssue({ code: 'custom', path: ['end'], message: `${p}.end: must be after the start`, params: { code: 'end_not_after_start', start: w.start } });
		})
		.nullable();
const int = (path: string, min: number, max: number, unit: string) =>
	z
		.number({ message: `${path}: must be a number (${unit})` })
		.int({ message: `${path}: must be a whole number (${unit})` })
		.min(min, { message: `${path}: must be at least ${min} (${unit})` })
		.max(max, { message: `${path}: must be at most ${max} (${unit})` });

/**
 * The rules as the supervisor saves them (calling_rules.rules). Windows can never exceed HARD_LIMITS; issues
 * carry their path (windows.sat.start) and say what is wrong.
 */
export const callingRulesSchema = z
	.strictObject({
		windows: z.strictObject({
			mon: windowSchema('mon'),
			tue: windowSchema('tue'),
			wed: windowSchema('wed'),
			thu: windowSchema('thu'),
			fri: windowSchema('fri'),
			sat: windowSchema('sat'),
			sun: windowSchema('sun'),
			holiday: windowSchema('holiday')
		}),
		maxAttemptsPerDay: int('maxAttemptsPerDay', 1, 10, 'calls per day'),
		maxAttemptsPerWeek: int('maxAttemptsPerWeek', 1, 50, 'calls per week'),
		minGapMinutes: int('minGapMinutes', 0, 7 * 24 * 60, 'minutes'),
		rotateSlots: z.boolean({ message: 'rotateSlots: must be true or false' }),
		paymentSuppressDays: int('paymentSuppressDays', 0, 90, 'days'),
		promiseGraceDays: int('promiseGraceDays', 0, 30, 'days'),
		callbackGraceMinutes: int('callbackGraceMinutes', 0, 24 * 60, 'minutes'),
		wrapUpSeconds: int('wrapUpSeconds', 0, 600, 'seconds'),
		promiseHorizonDays: int('promiseHorizonDays', 1, 366, 'days'),
		yearEndClosure: z.boolean({ message: 'yearEndClosure: must be true or false' }).optional()
	})
	.superRefine((r, ctx) => {
		if (r.maxAttemptsPerWeek < r.maxAttemptsPerDay)
			ctx.addIssue({
				code: 'custom',
				path: ['maxAttemptsPerWeek'],
				message: 'maxAttemptsPerWeek: must not be less than the calls per day',
				params: { code: 'max_below_min', other: 'maxAttemptsPerDay' }
			});
	}) satisfies z.ZodType<CallingRules>;

/**
 * The refusal of rules that do not validate: each field's problem as a stable code with its values (the page words
 * them in the user's language as validation.<code>) and the schema's English for API readers. Codes: required,
 * whole_number, min_value (min), max_value (max), time_format, before_hard_limit / after_hard_limit (limit),
 * end_not_after_start (start), max_below_min (other: the field it may not be below), invalid.
 */
export function callingRulesProblems(raw: unknown, issues: readonly IssueLike[]): Record<string, FieldProblem> {
	return issueProblems(raw, issues, { formatCode: (key) => (/^windows\.\w+\.(start|end)$/.test(key) ? 'time_format' : 'invalid') });
}

// ---------------------------------------------------------------------------------------------------------
// Suppressions: reasons a household is not called at all for a while

export type WaitReason =
	| 'retry'
	| 'gap'
	| 'daily_limit'
	| 'weekly_limit'
	| 'slot'
	| 'payment'
	| 'promise'
	| 'callback'
	| 'handoff'
	| 'not_before'
	| 'do_not_call'
	| 'window';
export const waitReasons: readonly WaitReason[] = [
	'retry',
	'gap',
	'daily_limit',
	'weekly_limit',
	'slot',
	'payment',
	'promise',
	'callback',
	'handoff',
	'not_before',
	'do_not_call',
	'window'
];

/** until null = indefinitely */
export interface Suppression {
	reason: WaitReason;
	until: Date | null;
}

/** A do-not-call instruction: indefinite, or through its end date (inclusive: calls may resume the day after). */
export function doNotCallSuppression(h: Pick<HouseholdFacts, 'doNotCallUntil'>, now: Date): Suppression | null {
	if (h.doNotCallUntil === null) return null;
	if (h.doNotCallUntil === 'indefinite') return { reason: 'do_not_call', until: null };
	const until = tokyoAt(addDays(h.doNotCallUntil, 1));
	return now < until ? { reason: 'do_not_call', until } : null;
}

/** An open handoff to ward staff: not called while it is open. */
export function handoffSuppression(h: Pick<HouseholdFacts, 'openHandoff'>): Suppression | null {
	return h.openHandoff ? { reason: 'handoff', until: null } : null;
}

/**
 * A handoff returned with "call again, but not before" a day (再架電は次の日以降): not called before 00:00 Tokyo of
 * that day (the calling window of the day then decides the hour).
 */
export function notBeforeSuppression(h: Pick<HouseholdFacts, 'recallNotBefore'>, now: Date): Suppression | null {
	if (!h.recallNotBefore) return null;
	const until = tokyoAt(h.recallNotBefore);
	return now < until ? { reason: 'not_before', until } : null;
}

/** A recent payment: not called until 09:00 Tokyo on lastPaidOn + paymentSuppressDays. */
export function paymentSuppression(
	h: Pick<HouseholdFacts, 'lastPaidOn'>,
	rules: Pick<CallingRules, 'paymentSuppressDays'>,
	now: Date
): Suppression | null {
	if (!h.lastPaidOn || rules.paymentSuppressDays <= 0) return null;
	const until = tokyoAt(addDays(h.lastPaidOn, rules.paymentSuppressDays), '09:00');
	return now < until ? { reason: 'payment', until } : null;
}

/**
 * An open promise: not called before its date has passed plus promiseGraceDays full days (posting lag): from
 * 09:00 Tokyo on date + grace + 1 (the same instant as outcomes.ts nextQueueState for a promise).
 */
export function promiseSuppression(
	h: Pick<HouseholdFacts, 'promiseStatus' | 'openPromiseDueDate'>,
	rules: Pick<CallingRules, 'promiseGraceDays'>,
	now: Date
): Suppression | null {
	if (h.promiseStatus !== 'pending' || !h.openPromiseDueDate) return null;
	const until = tokyoAt(addDays(h.openPromiseDueDate, rules.promiseGraceDays + 1), '09:00');
	return now < until ? { reason: 'promise', until } : null;
}

/** An open callback not yet due: not called before its time. */
export function callbackSuppression(h: Pick<HouseholdFacts, 'callbackDueAt'>, now: Date): Suppression | null {
	if (!h.callbackDueAt) return null;
	const until = new Date(h.callbackDueAt);
	return now < until ? { reason: 'callback', until } : null;
}

/** Every suppression in force, in order: do_not_call, handoff, not_before, payment, promise, callback. */
export function activeSuppressions(h: HouseholdFacts, rules: CallingRules, now: Date): Suppression[] {
	return [
		doNotCallSuppression(h, now),
		handoffSuppression(h),
		notBeforeSuppression(h, now),
		paymentSuppression(h, rules, now),
		promiseSuppression(h, rules, now),
		callbackSuppression(h, now)
	].filter((s): s is Suppression => s !== null);
}

/** The first suppression in force, in the order of activeSuppressions; null when none. */
export function suppressionOf(h: HouseholdFacts, rules: CallingRules, now: Date): Suppression | null {
	return activeSuppressions(h, rules, now)[0] ?? null;
}

/**
 * When the household is free of suppressions: null = indefinitely suppressed (with that reason), else the
 * instant (≥ now) and the reason of the last suppression that held it (suppressions that follow each other,
 * e.g. a payment then a promise, are chained).
 */
export function suppressedUntil(
	h: HouseholdFacts,
	rules: CallingRules,
	now: Date
): { until: Date; reason: WaitReason | null } | { until: null; reason: WaitReason } {
	let t = now;
	let reason: WaitReason | null = null;
	for (let i = 0; i < 8; i++) {
		const s = suppressionOf(h, rules, t);
		if (!s) break;
		if (s.until === null) return { until: null, reason: s.reason };
		t = s.until;
		reason = s.reason;
	}
	return { until: t, reason };
}

// ---------------------------------------------------------------------------------------------------------
// Pacing rules: each takes a candidate instant and returns the earliest instant ≥ it that the rule allows,
// or null when the candidate already satisfies it. They only ever move time forward, so composing them to a
// fixed point gives the earliest instant all of them allow.

type AttemptFacts = Pick<HouseholdFacts, 'lastAttemptAt' | 'recentAttempts'>;

/** Retry later (the outcome's retry time). */
export function retryRule(retryAfter: Date | null, at: Date): Date | null {
	return retryAfter && retryAfter > at ? retryAfter : null;
}

function lastAttempt(h: AttemptFacts): number | null {
	const times = [h.lastAttemptAt, h.recentAttempts[0]].filter((s): s is string => !!s).map((s) => Date.parse(s));
	return times.length ? Math.max(...times) : null;
}

/** Minimum gap since the last attempt. */
export function gapRule(h: AttemptFacts, rules: Pick<CallingRules, 'minGapMinutes'>, at: Date): Date | null {
	const last = lastAttempt(h);
	if (last === null) return null;
	const free = last + rules.minGapMinutes * MINUTE;
	return free > at.getTime() ? new Date(free) : null;
}

/** At most maxAttemptsPerDay attempts per Tokyo calendar day: else from the next day's midnight (Tokyo). */
export function dailyLimitRule(
	h: Pick<HouseholdFacts, 'recentAttempts'>,
	rules: Pick<CallingRules, 'maxAttemptsPerDay'>,
	at: Date
): Date | null {
	const day = tokyoDay(at);
	const n = h.recentAttempts.filter((a) => tokyoDay(new Date(a)) === day).length;
	return n >= rules.maxAttemptsPerDay ? tokyoAt(addDays(day, 1)) : null;
}

/**
 * At most maxAttemptsPerWeek attempts in any 7 × 24 hours: else from the moment enough of them have left the
 * 7-day window (the max-th newest attempt + 7 days).
 */
export function weeklyLimitRule(
	h: Pick<HouseholdFacts, 'recentAttempts'>,
	rules: Pick<CallingRules, 'maxAttemptsPerWeek'>,
	at: Date
): Date | null {
	const since = at.getTime() - 7 * DAY;
	const inWeek = h.recentAttempts
		.map((a) => Date.parse(a))
		.filter((t) => t > since && t <= at.getTime())
		.sort((a, b) => b - a);
	if (inWeek.length < rules.maxAttemptsPerWeek) return null;
	return new Date(inWeek[rules.maxAttemptsPerWeek - 1] + 7 * DAY);
}

/** The slot intervals inside calling windows from `at` on, on at's Tokyo day and the next day with a window. */
export function slotOpenings(rules: CallingRules, at: Date): { slot: TimeSlot; start: Date; end: Date }[] {
	const out: { slot: TimeSlot; start: Date; end: Date }[] = [];
	const day = tokyoDay(at);
	for (let i = 0; i <= WINDOW_LOOKAHEAD_DAYS; i++) {
		const date = addDays(day, i);
		const w = windowOn(rules, date);
		if (!w) continue;
		for (const slot of timeSlots) {
			const b = slotBounds[slot];
			const start = Math.max(w.start.getTime(), tokyoAt(date, b.start).getTime(), at.getTime());
			const end = Math.min(w.end.getTime(), tokyoAt(date, b.end).getTime());
			if (start < end) out.push({ slot, start: new Date(start), end: new Date(end) });
		}
		if (i > 0) break; // today's rest and the next calling day
	}
	return out;
}

/**
 * Slot rotation: a household is not always tried at the hour it never answers. At a candidate instant inside
 * a window, let u(slot) = unanswered attempts (attempts − answered) in that slot. Looking at the slot
 * openings from the candidate on (rest of that day and the next calling day), if u(candidate's slot) ≥
 * u(least-tried slot among the others) + 1, the attempt moves to the first opening of that least-tried slot; when
 * several slots are least tried, to the one where households of its language group answer most this season (best
 * time to call: h.slotPrior), else the first. Applied once (it never pushes more than a calling day ahead); null
 * when the candidate stays.
 */
export function slotRotationRule(
	h: Pick<HouseholdFacts, 'slotStats' | 'slotPrior'>,
	rules: CallingRules,
	at: Date
): Date | null {
	if (!rules.rotateSlots || !isWithinWindow(rules, at)) return null;
	const unanswered = (s: TimeSlot) => Math.max(0, h.slotStats[s].attempts - h.slotStats[s].answered);
	const here = timeSlot(at);
	const others = slotOpenings(rules, at).filter((o) => o.slot !== here);
	if (!others.length) return null;
	const least = Math.min(...others.map((o) => unanswered(o.slot)));
	if (unanswered(here) < least + 1) return null;
	const prior = (s: TimeSlot) => h.slotPrior?.[s] ?? 0.5;
	const target = others.filter((o) => unanswered(o.slot) === least).reduce((best, o) => (prior(o.slot) > prior(best.slot) ? o : best));
	return target.start > at ? target.start : null;
}

export interface PlacementInput {
	h: HouseholdFacts;
	rules: CallingRules;
	now: Date;
	/** the outcome's "retry later" time, null when none */
	retryAfter: Date | null;
}

/**
 * The earliest instant (≥ from) that retry, gap, daily and weekly limits all allow, with the reason of the rule
 * that bound last (null when none did: the instant is `from`). Calling windows and slots are not applied.
 */
export function pacedFrom(
	input: { h: HouseholdFacts; rules: CallingRules; retryAfter: Date | null },
	from: Date
): { at: Date; reason: WaitReason | null } {
	const { h, rules, retryAfter } = input;
	let at = from;
	let reason: WaitReason | null = null;
	const steps: [WaitReason, (t: Date) => Date | null][] = [
		['retry', (t) => retryRule(retryAfter, t)],
		['gap', (t) => gapRule(h, rules, t)],
		['daily_limit', (t) => dailyLimitRule(h, rules, t)],
		['weekly_limit', (t) => weeklyLimitRule(h, rules, t)]
	];
	for (let round = 0; round < 16; round++) {
		let moved = false;
		for (const [r, rule] of steps) {
			const next = rule(at);
			if (next && next > at) {
				at = next;
				reason = r;
				moved = true;
			}
		}
		if (!moved) break;
	}
	return { at, reason };
}

/**
 * The next instant the household may be called by the pacing rules, inside a calling window: the max of
 * retryAfter (retry), last attempt + minimum gap (gap), the next day if today's attempts reached the daily limit
 * (daily_limit), the moment the weekly count drops below the limit (weekly_limit); then the next window opening
 * (window, when nothing else held it), then slot rotation (slot). An open callback bypasses the pacing and
 * rotation (it is an appointment): its time, then the window (reason callback). Suppressions are not applied
 * here (see placement). `reason` is null only when the household may be called right now. null when there is
 * no calling window within 14 days.
 */
export function earliestNextAttempt(input: PlacementInput): { at: Date; reason: WaitReason | null } | null {
	const { h, rules, now } = input;
	if (h.callbackDueAt) {
		const due = new Date(h.callbackDueAt);
		const at = nextWindowOpen(rules, due > now ? due : now);
		if (!at) return null;
		return { at, reason: at > now ? 'callback' : null };
	}
	const paced = pacedFrom(input, now);
	const open = nextWindowOpen(rules, paced.at);
	if (!open) return null;
	let at = open;
	let reason = paced.reason ?? (open > paced.at ? 'window' : null);
	const rotated = slotRotationRule(h, rules, at);
	if (rotated) {
		at = rotated;
		reason = 'slot';
	}
	return { at, reason: at > now ? reason : null };
}

export interface Placement {
	state: 'ready' | 'waiting' | 'closed';
	/** when a waiting household becomes ready (inside a calling window); null for ready, closed, or no window in 14 days */
	nextEligibleAt: Date | null;
	/** why it waits or is closed; null when ready */
	reason: WaitReason | null;
}

/**
 * Where the queue places a household now. Suppressions first: an indefinite one (do-not-call without end, open
 * handoff) closes it with that reason; a timed one makes it wait at least until then. Then the pacing rules:
 * ready when they allow a call now, else waiting until earliestNextAttempt.
 *
 * "Ready" ignores the *current* calling window: the claim checks the window for everyone at claim time, so a
 * household that becomes due at 20:30 is ready and simply not claimed until the window opens (no re-placement of
 * every household at every window edge). Slot rotation is decided when a household is placed inside a window
 * (after each call, the usual case); a household placed outside the window is not rotated.
 * No window within 14 days (all windows off): waiting with nextEligibleAt null, reason window (placed again
 * when the rules change).
 */
export function placement(input: PlacementInput): Placement {
	const { h, rules, now } = input;
	const sup = suppressedUntil(h, rules, now);
	if (sup.until === null) return { state: 'closed', nextEligibleAt: null, reason: sup.reason };
	if (sup.reason !== null) {
		// waiting for a suppression to end: then the pacing rules from that moment
		const retryAfter = input.retryAfter && input.retryAfter > sup.until ? input.retryAfter : sup.until;
		const next = earliestNextAttempt({ ...input, now: sup.until, retryAfter });
		if (!next) return { state: 'waiting', nextEligibleAt: null, reason: 'window' };
		// the reason is the suppression that ends last (it explains nextEligibleAt); pacing after it only moves the time
		return { state: 'waiting', nextEligibleAt: next.at, reason: sup.reason };
	}
	if (h.callbackDueAt) return { state: 'ready', nextEligibleAt: null, reason: null }; // due callback: offered first
	const paced = pacedFrom(input, now);
	if (paced.at <= now) {
		const rotated = slotRotationRule(h, rules, now);
		if (!rotated) return { state: 'ready', nextEligibleAt: null, reason: null };
		return { state: 'waiting', nextEligibleAt: rotated, reason: 'slot' };
	}
	const next = earliestNextAttempt(input);
	if (!next) return { state: 'waiting', nextEligibleAt: null, reason: 'window' };
	return { state: 'waiting', nextEligibleAt: next.at, reason: next.reason ?? paced.reason };
}

/** Supervisor-facing text for a wait reason. */
export function describeWaitReason(r: WaitReason, locale: 'ja' | 'en'): string {
	const text: Record<WaitReason, [string, string]> = {
		retry: ['再架電待ち', 'Retry later'],
		gap: ['前回架電からの間隔', 'Minimum gap since the last call'],
		daily_limit: ['本日の架電回数上限', 'Daily call limit reached'],
		weekly_limit: ['7日間の架電回数上限', 'Weekly call limit reached'],
		slot: ['時間帯ローテーション', 'Time-slot rotation'],
		payment: ['最近の入金あり', 'Recent payment'],
		promise: ['納付約束の期日待ち', 'Promise not yet due'],
		callback: ['折り返し予定', 'Callback scheduled'],
		handoff: ['職員へ引継ぎ中', 'Handed off to ward staff'],
		not_before: ['職員の指定日まで再架電しない（差し戻し：再架電は次の日以降）', 'Not before the day ward staff set on returning the handoff'],
		do_not_call: ['架電停止', 'Do not call'],
		window: ['架電時間外', 'Outside calling hours']
	};
	return text[r][locale === 'ja' ? 0 : 1];
}
