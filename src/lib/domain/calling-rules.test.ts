import { describe, expect, it } from 'vitest';
import { householdFacts, type HouseholdFacts } from './household-facts.ts';
import {
	HARD_LIMITS,
	activeSuppressions,
	callbackSuppression,
	callingRulesProblems,
	callingRulesSchema,
	dailyLimitRule,
	dayKindOf,
	defaultCallingRules,
	describeWaitReason,
	doNotCallSuppression,
	earliestNextAttempt,
	gapRule,
	handoffSuppression,
	isJapaneseHoliday,
	isWithinWindow,
	nextWindowOpen,
	notBeforeSuppression,
	paymentSuppression,
	placement,
	promiseSuppression,
	retryRule,
	slotRotationRule,
	suppressionOf,
	timeSlot,
	tokyoAt,
	tokyoDay,
	weekdayOf,
	weeklyLimitRule,
	windowOn,
	type CallingRules
} from './calling-rules.ts';

/** A Tokyo wall-clock instant. */
const T = (date: string, hhmm = '00:00') => tokyoAt(date, hhmm);
const iso = (date: string, hhmm: string) => T(date, hhmm).toISOString();

const rules: CallingRules = defaultCallingRules;
const withSat: CallingRules = { ...rules, windows: { ...rules.windows, sat: { start: '10:00', end: '17:00' } } };

function facts(over: Partial<HouseholdFacts> = {}): HouseholdFacts {
	return householdFacts({ nationality: 'JP', district: '本町', owed: 50_000, owedCurrentYear: 50_000, unpaidPeriods: 2, currentYearUnpaidPeriods: [3, 4], oldestDueDate: '2026-07-31', phoneKinds: ['mobile'], ...over });
}

describe('Tokyo time on any machine', () => {
	it('computes Tokyo dates, weekdays and slots from UTC instants (UTC+9, no DST)', () => {
		expect(tokyoDay(new Date('2026-11-02T14:59:59Z'))).toBe('2026-11-02');
		expect(tokyoDay(new Date('2026-11-02T15:00:00Z'))).toBe('2026-11-03');
		expect(T('2026-11-02', '09:00').toISOString()).toBe('2026-11-02T00:00:00.000Z');
		expect(T('2026-07-01', '09:00').toISOString()).toBe('2026-07-01T00:00:00.000Z'); // summer: still +9
		expect(weekdayOf('2026-11-02')).toBe('mon');
		expect(weekdayOf('2026-11-08')).toBe('sun');
	});
	it('slots: before 12:00 morning, before 17:00 afternoon, else evening', () => {
		expect(timeSlot(T('2026-11-02', '11:59'))).toBe('morning');
		expect(timeSlot(T('2026-11-02', '12:00'))).toBe('afternoon');
		expect(timeSlot(T('2026-11-02', '16:59'))).toBe('afternoon');
		expect(timeSlot(T('2026-11-02', '17:00'))).toBe('evening');
		expect(timeSlot(new Date('2026-11-02T14:30:00Z'))).toBe('evening'); // 23:30 Tokyo
	});
});

describe('holidays', () => {
	it('knows national and substitute holidays, not ordinary days', () => {
		expect(isJapaneseHoliday('2026-11-03')).toBe(true); // 文化の日
		expect(isJapaneseHoliday('2026-11-23')).toBe(true); // 勤労感謝の日
		expect(isJapaneseHoliday('2026-05-06')).toBe(true); // 振替休日 (5/3 was a Sunday)
		expect(isJapaneseHoliday('2026-09-22')).toBe(true); // 国民の休日
		expect(isJapaneseHoliday('2030-01-14')).toBe(true); // 成人の日, data reaches 2030 and beyond
		expect(isJapaneseHoliday('2026-11-04')).toBe(false);
		expect(isJapaneseHoliday('2027-01-02')).toBe(false); // not a national holiday …
	});
	it('uses the holiday window on holidays and the year-end closure (12/29–1/3), unless switched off', () => {
		expect(dayKindOf(rules, '2026-11-03')).toBe('holiday');
		expect(dayKindOf(rules, '2026-11-04')).toBe('wed');
		expect(dayKindOf(rules, '2026-12-29')).toBe('holiday'); // Tuesday, closed
		expect(dayKindOf(rules, '2027-01-04')).toBe('mon');
		expect(dayKindOf({ yearEndClosure: false }, '2026-12-29')).toBe('tue');
		expect(windowOn(rules, '2026-11-03')).toBeNull();
		expect(windowOn(rules, '2026-11-23')).toBeNull();
		expect(windowOn(rules, '2026-12-30')).toBeNull();
		const withHoliday: CallingRules = { ...rules, windows: { ...rules.windows, holiday: { start: '10:00', end: '16:00' } } };
		expect(windowOn(withHoliday, '2026-11-03')).toEqual({ start: T('2026-11-03', '10:00'), end: T('2026-11-03', '16:00') });
	});
});

describe('windows', () => {
	it('weekdays 09:00–20:00 by default, no calls on Saturday and Sunday', () => {
		expect(windowOn(rules, '2026-11-02')).toEqual({ start: T('2026-11-02', '09:00'), end: T('2026-11-02', '20:00') });
		expect(windowOn(rules, '2026-11-07')).toBeNull();
		expect(windowOn(rules, '2026-11-08')).toBeNull();
		expect(windowOn(withSat, '2026-11-07')).toEqual({ start: T('2026-11-07', '10:00'), end: T('2026-11-07', '17:00') });
	});
	it('start inclusive, end exclusive', () => {
		expect(isWithinWindow(rules, T('2026-11-02', '08:59'))).toBe(false);
		expect(isWithinWindow(rules, T('2026-11-02', '09:00'))).toBe(true);
		expect(isWithinWindow(rules, T('2026-11-02', '19:59'))).toBe(true);
		expect(isWithinWindow(rules, T('2026-11-02', '20:00'))).toBe(false);
		expect(isWithinWindow(rules, T('2026-11-03', '10:00'))).toBe(false); // holiday
	});
	it('clamps a window that exceeds the hard limits even if it got past the schema', () => {
		const wide = { ...rules, windows: { ...rules.windows, mon: { start: '06:00', end: '23:00' } } };
		expect(windowOn(wide, '2026-11-02')).toEqual({ start: T('2026-11-02', HARD_LIMITS.start), end: T('2026-11-02', HARD_LIMITS.end) });
	});
	it('nextWindowOpen: now when inside, else the next opening, skipping holidays and weekends', () => {
		expect(nextWindowOpen(rules, T('2026-11-02', '10:15'))).toEqual(T('2026-11-02', '10:15'));
		expect(nextWindowOpen(rules, T('2026-11-02', '07:00'))).toEqual(T('2026-11-02', '09:00'));
		// Monday 20:00 → Tuesday is 文化の日 → Wednesday 09:00
		expect(nextWindowOpen(rules, T('2026-11-02', '20:00'))).toEqual(T('2026-11-04', '09:00'));
		// Friday evening → Monday (no Saturday window) …
		expect(nextWindowOpen(rules, T('2026-11-06', '20:30'))).toEqual(T('2026-11-09', '09:00'));
		// … or Saturday 10:00 when Saturdays are configured
		expect(nextWindowOpen(withSat, T('2026-11-06', '20:30'))).toEqual(T('2026-11-07', '10:00'));
		// Friday 11/20 evening → Monday 11/23 is 勤労感謝の日 → Tuesday
		expect(nextWindowOpen(rules, T('2026-11-20', '20:00'))).toEqual(T('2026-11-24', '09:00'));
		// year end: 12/28 evening → 1/4
		expect(nextWindowOpen(rules, T('2026-12-28', '20:00'))).toEqual(T('2027-01-04', '09:00'));
	});
	it('nextWindowOpen is null when there is no window within 14 days', () => {
		const none: CallingRules = { ...rules, windows: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null, holiday: null } };
		expect(nextWindowOpen(none, T('2026-11-02', '10:00'))).toBeNull();
	});
});

describe('callingRulesSchema', () => {
	it('accepts the defaults and a Saturday window', () => {
		expect(callingRulesSchema.parse(defaultCallingRules)).toEqual(defaultCallingRules);
		expect(callingRulesSchema.safeParse(withSat).success).toBe(true);
	});
	it('refuses windows beyond the hard limits, naming the path', () => {
		const bad = { ...rules, windows: { ...rules.windows, sat: { start: '07:30', end: '21:30' } } };
		const r = callingRulesSchema.safeParse(bad);
		expect(r.success).toBe(false);
		const issues = r.error!.issues.map((i) => [i.path.join('.'), i.message]);
		expect(issues).toContainEqual(['windows.sat.start', 'windows.sat.start: must not be before 08:00 (hard limit)']);
		expect(issues).toContainEqual(['windows.sat.end', 'windows.sat.end: must not be after 21:00 (hard limit)']);
	});
	it('accepts exactly the hard limits, refuses start ≥ end, bad times, unknown keys and silly numbers', () => {
		expect(callingRulesSchema.safeParse({ ...rules, windows: { ...rules.windows, sun: { start: '08:00', end: '21:00' } } }).success).toBe(true);
		const paths = (v: unknown) => callingRulesSchema.safeParse(v).error?.issues.map((i) => i.path.join('.'));
		expect(paths({ ...rules, windows: { ...rules.windows, mon: { start: '18:00', end: '10:00' } } })).toEqual(['windows.mon.end']);
		expect(paths({ ...rules, windows: { ...rules.windows, tue: { start: '9:00', end: '10:00' } } })).toEqual(['windows.tue.start']);
		expect(paths({ ...rules, maxAttemptsPerDay: 0 })).toEqual(['maxAttemptsPerDay']);
		expect(paths({ ...rules, minGapMinutes: 1.5 })).toEqual(['minGapMinutes']);
		expect(paths({ ...rules, maxAttemptsPerDay: 4, maxAttemptsPerWeek: 3 })).toEqual(['maxAttemptsPerWeek']);
		expect(callingRulesSchema.safeParse({ ...rules, surprise: 1 }).success).toBe(false);
	});
});

describe('callingRulesProblems', () => {
	// what the refusal carries: field → [code, params] (the page words the code; the text is English for API readers)
	const problems = (v: Record<string, unknown>) => {
		const r = callingRulesSchema.safeParse(v);
		expect(r.success).toBe(false);
		return Object.fromEntries(Object.entries(callingRulesProblems(v, r.error!.issues)).map(([k, p]) => [k, [p.code, p.params ?? null]]));
	};
	const win = (day: string, w: unknown) => ({ ...rules, windows: { ...rules.windows, [day]: w } });
	it('gives each single-field problem a stable code with the values it names', () => {
		expect(problems({ ...rules, maxAttemptsPerDay: '' })).toEqual({ maxAttemptsPerDay: ['required', null] });
		expect(problems({ ...rules, minGapMinutes: 'abc' })).toEqual({ minGapMinutes: ['whole_number', null] });
		expect(problems({ ...rules, minGapMinutes: 1.5 })).toEqual({ minGapMinutes: ['whole_number', null] });
		expect(problems({ ...rules, maxAttemptsPerDay: 0 })).toEqual({ maxAttemptsPerDay: ['min_value', { min: 1 }] });
		expect(problems({ ...rules, wrapUpSeconds: 601 })).toEqual({ wrapUpSeconds: ['max_value', { max: 600 }] });
		expect(problems({ ...rules, rotateSlots: 'yes' })).toEqual({ rotateSlots: ['invalid', null] });
	});
	it('gives the window problems codes: malformed, beyond the hard limits, end not after start', () => {
		expect(problems(win('tue', { start: '9:00', end: '10:00' }))).toEqual({ 'windows.tue.start': ['time_format', null] });
		expect(problems(win('tue', { start: '', end: '10:00' }))).toEqual({ 'windows.tue.start': ['required', null] });
		expect(problems(win('sat', { start: '07:30', end: '21:30' }))).toEqual({
			'windows.sat.start': ['before_hard_limit', { limit: '08:00' }],
			'windows.sat.end': ['after_hard_limit', { limit: '21:00' }]
		});
		expect(problems(win('mon', { start: '18:00', end: '10:00' }))).toEqual({ 'windows.mon.end': ['end_not_after_start', { start: '18:00' }] });
	});
	it('gives the cross-field rule a code naming the other field', () => {
		expect(problems({ ...rules, maxAttemptsPerDay: 4, maxAttemptsPerWeek: 3 })).toEqual({ maxAttemptsPerWeek: ['max_below_min', { other: 'maxAttemptsPerDay' }] });
	});
	it('keeps the schema’s English as the text, without the field’s name in front (the refusal names it)', () => {
		const v = { ...rules, maxAttemptsPerDay: 4, maxAttemptsPerWeek: 3 };
		const p = callingRulesProblems(v, callingRulesSchema.safeParse(v).error!.issues);
		expect(p.maxAttemptsPerWeek.text).toBe('must not be less than the calls per day');
		const w = win('sat', { start: '07:30', end: '17:00' });
		expect(callingRulesProblems(w, callingRulesSchema.safeParse(w).error!.issues)['windows.sat.start'].text).toBe('must not be before 08:00 (hard limit)');
	});
});

describe('suppressions', () => {
	const now = T('2026-11-10', '10:00');
	it('do-not-call: indefinite, or through its end date (inclusive)', () => {
		expect(doNotCallSuppression(facts({ doNotCallUntil: 'indefinite' }), now)).toEqual({ reason: 'do_not_call', until: null });
		expect(doNotCallSuppression(facts({ doNotCallUntil: '2026-11-30' }), now)).toEqual({ reason: 'do_not_call', until: T('2026-12-01') });
		expect(doNotCallSuppression(facts({ doNotCallUntil: '2026-11-10' }), now)?.until).toEqual(T('2026-11-11'));
		expect(doNotCallSuppression(facts({ doNotCallUntil: '2026-11-09' }), now)).toBeNull();
		expect(doNotCallSuppression(facts(), now)).toBeNull();
	});
	it('handoff: while open, indefinitely', () => {
		expect(handoffSuppression(facts({ openHandoff: true }))).toEqual({ reason: 'handoff', until: null });
		expect(handoffSuppression(facts())).toBeNull();
	});
	it('not before: a returned handoff’s day (再架電は次の日以降) holds the household until 00:00 Tokyo of that day', () => {
		expect(notBeforeSuppression(facts({ recallNotBefore: '2026-11-15' }), now)).toEqual({ reason: 'not_before', until: T('2026-11-15') });
		expect(notBeforeSuppression(facts({ recallNotBefore: '2026-11-15' }), T('2026-11-14', '23:59'))?.until).toEqual(T('2026-11-15'));
		expect(notBeforeSuppression(facts({ recallNotBefore: '2026-11-15' }), T('2026-11-15'))).toBeNull();
		expect(notBeforeSuppression(facts({ recallNotBefore: '2026-11-10' }), now)).toBeNull(); // the day itself: callable
		expect(notBeforeSuppression(facts({ recallNotBefore: null }), now)).toBeNull();
		expect(notBeforeSuppression(facts(), now)).toBeNull();
		// after the handoff (while a handoff is open, that holds it), before the payment
		const h = facts({ recallNotBefore: '2026-11-20', lastPaidOn: '2026-11-01' });
		expect(activeSuppressions(h, rules, now).map((s) => s.reason)).toEqual(['not_before', 'payment']);
		expect(activeSuppressions({ ...h, openHandoff: true }, rules, now).map((s) => s.reason)).toEqual(['handoff', 'not_before', 'payment']);
	});
	it('payment: until 09:00 Tokyo on the payment date + paymentSuppressDays', () => {
		expect(paymentSuppression(facts({ lastPaidOn: '2026-11-01' }), rules, now)).toEqual({ reason: 'payment', until: T('2026-11-15', '09:00') });
		expect(paymentSuppression(facts({ lastPaidOn: '2026-10-27' }), rules, T('2026-11-10', '08:59'))?.until).toEqual(T('2026-11-10', '09:00'));
		expect(paymentSuppression(facts({ lastPaidOn: '2026-10-27' }), rules, T('2026-11-10', '09:00'))).toBeNull();
		expect(paymentSuppression(facts({ lastPaidOn: '2026-11-01' }), { paymentSuppressDays: 0 }, now)).toBeNull();
	});
	it('promise: an open promise until its date + grace days have passed (09:00 the day after)', () => {
		const h = facts({ promiseStatus: 'pending', openPromiseDueDate: '2026-11-12' });
		expect(promiseSuppression(h, rules, now)).toEqual({ reason: 'promise', until: T('2026-11-16', '09:00') });
		expect(promiseSuppression(h, rules, T('2026-11-16', '09:00'))).toBeNull();
		expect(promiseSuppression(facts({ promiseStatus: 'broken', openPromiseDueDate: '2026-11-12' }), rules, now)).toBeNull();
	});
	it('callback: until its time', () => {
		expect(callbackSuppression(facts({ callbackDueAt: iso('2026-11-10', '15:00') }), now)).toEqual({ reason: 'callback', until: T('2026-11-10', '15:00') });
		expect(callbackSuppression(facts({ callbackDueAt: iso('2026-11-10', '09:00') }), now)).toBeNull();
	});
	it('suppressionOf takes them in order: do_not_call, handoff, payment, promise, callback', () => {
		const all = facts({
			doNotCallUntil: '2026-11-30',
			openHandoff: true,
			lastPaidOn: '2026-11-01',
			promiseStatus: 'pending',
			openPromiseDueDate: '2026-11-12',
			callbackDueAt: iso('2026-11-10', '15:00')
		});
		expect(activeSuppressions(all, rules, now).map((s) => s.reason)).toEqual(['do_not_call', 'handoff', 'payment', 'promise', 'callback']);
		expect(suppressionOf(all, rules, now)?.reason).toBe('do_not_call');
		expect(suppressionOf({ ...all, doNotCallUntil: null }, rules, now)).toEqual({ reason: 'handoff', until: null });
		expect(suppressionOf({ ...all, doNotCallUntil: null, openHandoff: false }, rules, now)?.reason).toBe('payment');
		expect(suppressionOf(facts(), rules, now)).toBeNull();
	});
});

describe('pacing rules', () => {
	const at = T('2026-11-10', '10:00');
	it('retry: not before retryAfter', () => {
		expect(retryRule(T('2026-11-10', '11:00'), at)).toEqual(T('2026-11-10', '11:00'));
		expect(retryRule(T('2026-11-10', '09:00'), at)).toBeNull();
		expect(retryRule(null, at)).toBeNull();
	});
	it('gap: last attempt + minGapMinutes, to the minute', () => {
		const h = facts({ lastAttemptAt: iso('2026-11-10', '08:30'), recentAttempts: [iso('2026-11-10', '08:30')] });
		expect(gapRule(h, rules, at)).toEqual(T('2026-11-10', '10:30'));
		expect(gapRule(h, rules, T('2026-11-10', '10:30'))).toBeNull();
		expect(gapRule(facts(), rules, at)).toBeNull();
	});
	it('daily limit: counts attempts on the Tokyo calendar day; moves to next midnight (Tokyo)', () => {
		// 00:30 Tokyo on 11/10 is 15:30 UTC on 11/09: it belongs to 11/10
		const h = facts({ recentAttempts: [iso('2026-11-10', '09:30'), iso('2026-11-10', '00:30'), iso('2026-11-09', '23:59')] });
		expect(dailyLimitRule(h, rules, at)).toEqual(T('2026-11-11'));
		expect(dailyLimitRule(h, rules, T('2026-11-11', '09:00'))).toBeNull();
		expect(dailyLimitRule(facts({ recentAttempts: [iso('2026-11-10', '09:30'), iso('2026-11-09', '19:00')] }), rules, at)).toBeNull();
	});
	it('weekly limit: in any 7 days at most maxAttemptsPerWeek; free when the limiting attempt leaves the window', () => {
		const attempts = ['2026-11-09', '2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03'].map((d) => iso(d, '10:00'));
		const h = facts({ recentAttempts: attempts });
		// 5 attempts in the last 7 days: the 5th newest (11/03 10:00) leaves at 11/10 10:00
		expect(weeklyLimitRule(h, rules, T('2026-11-10', '09:59'))).toEqual(T('2026-11-10', '10:00'));
		expect(weeklyLimitRule(h, rules, T('2026-11-10', '10:00'))).toBeNull();
		expect(weeklyLimitRule(facts({ recentAttempts: attempts.slice(0, 4) }), rules, at)).toBeNull();
	});
	it('slot rotation: moves to the least-tried slot when this one has ≥ 1 more unanswered attempt', () => {
		const tried = (m: number, a: number, e: number) =>
			facts({
				slotStats: {
					morning: { attempts: m, answered: 0 },
					afternoon: { attempts: a, answered: 0 },
					evening: { attempts: e, answered: 0 }
				}
			});
		// morning tried twice, never answered; afternoon and evening once → move to 12:00
		expect(slotRotationRule(tried(2, 1, 1), rules, T('2026-11-10', '10:00'))).toEqual(T('2026-11-10', '12:00'));
		// equal counts: stay
		expect(slotRotationRule(tried(1, 1, 1), rules, T('2026-11-10', '10:00'))).toBeNull();
		// evening is least tried → 17:00
		expect(slotRotationRule(tried(2, 2, 0), rules, T('2026-11-10', '10:00'))).toEqual(T('2026-11-10', '17:00'));
		// afternoon and evening equally least tried: the slot where the language group answers most this season (best time)
		const withPrior = (p: { morning: number; afternoon: number; evening: number }) => ({ ...tried(2, 1, 1), slotPrior: p });
		expect(slotRotationRule(withPrior({ morning: 0.3, afternoon: 0.2, evening: 0.45 }), rules, T('2026-11-10', '10:00'))).toEqual(T('2026-11-10', '17:00'));
		expect(slotRotationRule(withPrior({ morning: 0.3, afternoon: 0.45, evening: 0.2 }), rules, T('2026-11-10', '10:00'))).toEqual(T('2026-11-10', '12:00'));
		// the same prior everywhere: the first, as without one
		expect(slotRotationRule(withPrior({ morning: 0.3, afternoon: 0.3, evening: 0.3 }), rules, T('2026-11-10', '10:00'))).toEqual(T('2026-11-10', '12:00'));
		// the prior never moves a household that is not due for rotation
		expect(slotRotationRule({ ...tried(1, 1, 1), slotPrior: { morning: 0.1, afternoon: 0.1, evening: 0.9 } }, rules, T('2026-11-10', '10:00'))).toBeNull();
		// in the evening, the least-tried slot (morning) is over for today: the next calling day's morning
		expect(slotRotationRule(tried(0, 1, 1), rules, T('2026-11-10', '18:00'))).toEqual(T('2026-11-11', '09:00'));
		// Friday evening: the next calling day is Monday
		expect(slotRotationRule(tried(0, 1, 1), rules, T('2026-11-06', '18:00'))).toEqual(T('2026-11-09', '09:00'));
		// answered calls do not count against a slot
		const answeredMornings = facts({
			slotStats: { morning: { attempts: 3, answered: 3 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 0, answered: 0 } }
		});
		expect(slotRotationRule(answeredMornings, rules, T('2026-11-10', '10:00'))).toBeNull();
		// off when rotateSlots is false, and outside the window
		expect(slotRotationRule(tried(2, 0, 0), { ...rules, rotateSlots: false }, T('2026-11-10', '10:00'))).toBeNull();
		expect(slotRotationRule(tried(2, 0, 0), rules, T('2026-11-10', '07:00'))).toBeNull();
	});
	it('slot rotation only considers slots that have a window (Saturday 10:00–12:30: morning and a bit of afternoon)', () => {
		const sat: CallingRules = { ...rules, windows: { ...rules.windows, sat: { start: '10:00', end: '12:30' } } };
		const h = (e: number) =>
			facts({
				slotStats: { morning: { attempts: 2, answered: 0 }, afternoon: { attempts: 1, answered: 0 }, evening: { attempts: e, answered: 0 } }
			});
		// afternoon (1) is the least tried slot within reach: Saturday 12:00
		expect(slotRotationRule(h(1), sat, T('2026-11-07', '10:30'))).toEqual(T('2026-11-07', '12:00'));
		// evening (0) is least tried, Saturday has none: the next calling day's evening (Monday 17:00)
		expect(slotRotationRule(h(0), sat, T('2026-11-07', '10:30'))).toEqual(T('2026-11-09', '17:00'));
	});
});

describe('earliestNextAttempt', () => {
	const now = T('2026-11-10', '10:00'); // Tuesday
	it('now, with no reason, when nothing holds the household', () => {
		expect(earliestNextAttempt({ h: facts(), rules, now, retryAfter: null })).toEqual({ at: now, reason: null });
	});
	it('the latest of retry, gap, daily and weekly limits, with the binding reason', () => {
		const h = facts({ lastAttemptAt: iso('2026-11-10', '09:30'), recentAttempts: [iso('2026-11-10', '09:30')] });
		expect(earliestNextAttempt({ h, rules, now, retryAfter: T('2026-11-10', '10:30') })).toEqual({ at: T('2026-11-10', '11:30'), reason: 'gap' });
		expect(earliestNextAttempt({ h, rules, now, retryAfter: T('2026-11-10', '13:00') })).toEqual({ at: T('2026-11-10', '13:00'), reason: 'retry' });
		const twice = facts({ lastAttemptAt: iso('2026-11-10', '09:30'), recentAttempts: [iso('2026-11-10', '09:30'), iso('2026-11-10', '09:00')] });
		expect(earliestNextAttempt({ h: twice, rules, now, retryAfter: null })).toEqual({ at: T('2026-11-11', '09:00'), reason: 'daily_limit' });
	});
	it('moves into the next window: a gap ending at 20:30 on Friday waits until Monday 09:00', () => {
		const h = facts({ lastAttemptAt: iso('2026-11-06', '18:30'), recentAttempts: [iso('2026-11-06', '18:30')] });
		expect(earliestNextAttempt({ h, rules, now: T('2026-11-06', '18:31'), retryAfter: null })).toEqual({ at: T('2026-11-09', '09:00'), reason: 'gap' });
	});
	it("'window' when only the calling hours hold it", () => {
		expect(earliestNextAttempt({ h: facts(), rules, now: T('2026-11-10', '21:00'), retryAfter: null })).toEqual({ at: T('2026-11-11', '09:00'), reason: 'window' });
	});
	it('applies slot rotation after the window', () => {
		const h = facts({
			lastAttemptAt: iso('2026-11-10', '09:00'),
			recentAttempts: [iso('2026-11-10', '09:00')],
			slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 1, answered: 0 }, evening: { attempts: 1, answered: 0 } }
		});
		// gap → 11:00 (morning, tried most) → afternoon 12:00
		expect(earliestNextAttempt({ h, rules, now, retryAfter: null })).toEqual({ at: T('2026-11-10', '12:00'), reason: 'slot' });
	});
	it('an open callback is an appointment: its time (then the window), whatever the gap, limits or slots', () => {
		const h = facts({
			lastAttemptAt: iso('2026-11-10', '09:50'),
			recentAttempts: [iso('2026-11-10', '09:50'), iso('2026-11-10', '09:10')],
			callbackDueAt: iso('2026-11-10', '15:00')
		});
		expect(earliestNextAttempt({ h, rules, now, retryAfter: null })).toEqual({ at: T('2026-11-10', '15:00'), reason: 'callback' });
		const late = facts({ callbackDueAt: iso('2026-11-10', '20:30') });
		expect(earliestNextAttempt({ h: late, rules, now, retryAfter: null })).toEqual({ at: T('2026-11-11', '09:00'), reason: 'callback' });
	});
	it('null when there is no window within 14 days', () => {
		const none: CallingRules = { ...rules, windows: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null, holiday: null } };
		expect(earliestNextAttempt({ h: facts(), rules: none, now, retryAfter: null })).toBeNull();
	});
});

describe('placement', () => {
	const now = T('2026-11-10', '10:00');
	it('ready when nothing holds it', () => {
		expect(placement({ h: facts(), rules, now, retryAfter: null })).toEqual({ state: 'ready', nextEligibleAt: null, reason: null });
	});
	it('closed by an indefinite do-not-call or an open handoff', () => {
		expect(placement({ h: facts({ doNotCallUntil: 'indefinite' }), rules, now, retryAfter: null })).toEqual({
			state: 'closed',
			nextEligibleAt: null,
			reason: 'do_not_call'
		});
		expect(placement({ h: facts({ openHandoff: true }), rules, now, retryAfter: null })).toEqual({ state: 'closed', nextEligibleAt: null, reason: 'handoff' });
	});
	it('waits for a timed suppression, then the calling window (payment on 11/01 → Sunday 11/15 → Monday 09:00)', () => {
		expect(placement({ h: facts({ lastPaidOn: '2026-11-01' }), rules, now, retryAfter: null })).toEqual({
			state: 'waiting',
			nextEligibleAt: T('2026-11-16', '09:00'),
			reason: 'payment'
		});
	});
	it('waits for a returned handoff’s "not before" day, then the calling window; callable from that day', () => {
		// returned on Tue 11/10 with "not before Mon 11/16": waiting until 09:00 that Monday, with its reason
		const h = facts({ recallNotBefore: '2026-11-16' });
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-16', '09:00'), reason: 'not_before' });
		expect(placement({ h, rules, now: T('2026-11-15', '23:00'), retryAfter: null })).toMatchObject({ state: 'waiting', reason: 'not_before' });
		expect(placement({ h, rules, now: T('2026-11-16', '10:00'), retryAfter: null })).toEqual({ state: 'ready', nextEligibleAt: null, reason: null });
		// a Saturday: the window of the next calling day
		expect(placement({ h: facts({ recallNotBefore: '2026-11-14' }), rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-16', '09:00'), reason: 'not_before' });
		// a later payment suppression chains after it
		expect(placement({ h: facts({ recallNotBefore: '2026-11-12', lastPaidOn: '2026-11-05' }), rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-19', '09:00'), reason: 'payment' });
		expect(describeWaitReason('not_before', 'ja')).toContain('差し戻し');
		expect(describeWaitReason('not_before', 'en')).toContain('ward staff');
	});
	it('chains suppressions that follow each other (payment, then an open promise)', () => {
		const h = facts({ lastPaidOn: '2026-11-01', promiseStatus: 'pending', openPromiseDueDate: '2026-11-20' });
		// payment until 11/15 09:00; promise until 11/24 09:00 (11/20 + 3 grace days + 1)
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-24', '09:00'), reason: 'promise' });
	});
	it('a not-yet-due callback waits until its time; a due one is ready', () => {
		const h = facts({ callbackDueAt: iso('2026-11-10', '15:00') });
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-10', '15:00'), reason: 'callback' });
		expect(placement({ h, rules, now: T('2026-11-10', '15:00'), retryAfter: null })).toEqual({ state: 'ready', nextEligibleAt: null, reason: null });
	});
	it('waits for the pacing rules with their reason', () => {
		const h = facts({ lastAttemptAt: iso('2026-11-10', '09:30'), recentAttempts: [iso('2026-11-10', '09:30')] });
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-10', '11:30'), reason: 'gap' });
		expect(placement({ h, rules, now, retryAfter: T('2026-11-12', '09:00') })).toEqual({
			state: 'waiting',
			nextEligibleAt: T('2026-11-12', '09:00'),
			reason: 'retry'
		});
	});
	it('"ready" ignores the current window: a household due at 20:30 is ready (the claim checks the window)', () => {
		const h = facts({ lastAttemptAt: iso('2026-11-10', '18:30'), recentAttempts: [iso('2026-11-10', '18:30')] });
		expect(placement({ h, rules, now: T('2026-11-10', '20:30'), retryAfter: null }).state).toBe('ready');
		// at 18:31 it still waits, and the wait ends at the next window opening
		expect(placement({ h, rules, now: T('2026-11-10', '18:31'), retryAfter: null })).toEqual({
			state: 'waiting',
			nextEligibleAt: T('2026-11-11', '09:00'),
			reason: 'gap'
		});
	});
	it('rotates a ready household away from the slot it never answers in', () => {
		const h = facts({
			slotStats: { morning: { attempts: 2, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 1, answered: 0 } }
		});
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-10', '12:00'), reason: 'slot' });
	});
	it('waiting with no time when no window exists within 14 days', () => {
		const none: CallingRules = { ...rules, windows: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null, holiday: null } };
		const h = facts({ lastAttemptAt: iso('2026-11-10', '09:30'), recentAttempts: [iso('2026-11-10', '09:30')] });
		expect(placement({ h, rules: none, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: null, reason: 'window' });
	});
	it('the weekly limit across a weekend and a holiday', () => {
		// five calls Wed 11/04 … Mon 11/09 (none on the weekend, 11/03 is a holiday); on Tue 11/10 the limit holds
		// until the oldest (11/04 10:00) leaves the window: 11/11 10:00
		const days = ['2026-11-09', '2026-11-06', '2026-11-06', '2026-11-05', '2026-11-04'];
		const h = facts({
			lastAttemptAt: iso('2026-11-09', '10:00'),
			recentAttempts: days.map((d, i) => iso(d, i === 1 ? '16:00' : '10:00'))
		});
		expect(placement({ h, rules, now, retryAfter: null })).toEqual({ state: 'waiting', nextEligibleAt: T('2026-11-11', '10:00'), reason: 'weekly_limit' });
	});
});
