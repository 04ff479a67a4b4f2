import { describe, expect, it } from 'vitest';
import {
	addWorkingDays,
	ageText,
	isOverdue,
	isWorkingDay,
	notBeforeText,
	RECALL_HORIZON_DAYS,
	recallNotBeforeProblem,
	resumesCalls,
	slaDueAt,
	staffDueText,
	summarize,
	transition,
	workingDaysBetween,
	ageHours
} from './handoffs.ts';
import { tokyoAt } from './calling-rules.ts';

describe('working days', () => {
	it('weekdays are working days; weekends, national holidays and 12/29–1/3 are not', () => {
		expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
		expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
		expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
		expect(isWorkingDay('2026-11-23')).toBe(false); // 勤労感謝の日 (Monday)
		expect(isWorkingDay('2026-12-28')).toBe(true); // Monday, the last day before the closure
		expect(isWorkingDay('2026-12-29')).toBe(false); // Tuesday, closed
		expect(isWorkingDay('2027-01-04')).toBe(true); // Monday, open again
		expect(isWorkingDay('2027-01-11')).toBe(false); // 成人の日
	});
	it('adds working days, skipping weekends, holidays and the year-end closure', () => {
		expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Fri → Mon
		expect(addWorkingDays('2026-11-27', 2)).toBe('2026-12-01');
		expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-24'); // Fri → (Mon 11/23 勤労感謝の日) → Tue
		expect(addWorkingDays('2026-12-25', 2)).toBe('2027-01-04'); // Fri → Mon 12/28 → (12/29–1/3) → Mon 1/4
		expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // Saturday counts from Monday
		expect(() => addWorkingDays('2026-11-27', 0)).toThrow(RangeError);
	});
	it('counts working days between two dates', () => {
		expect(workingDaysBetween('2026-11-27', '2026-12-01')).toBe(2);
		expect(workingDaysBetween('2026-12-28', '2027-01-04')).toBe(1);
		expect(workingDaysBetween('2026-12-01', '2026-11-27')).toBe(0);
	});
});

describe('SLA', () => {
	it('is due at the end (Tokyo midnight) of the last working day of the target', () => {
		// Friday 14:00 Tokyo, 2 working days → the end of Tuesday
		expect(slaDueAt(tokyoAt('2026-11-27', '14:00'), 2).toISOString()).toBe(tokyoAt('2026-12-02').toISOString());
		// a complaint, 1 working day, made Friday 23:30 Tokyo (14:30 UTC): end of Monday
		expect(slaDueAt(tokyoAt('2026-11-27', '23:30'), 1).toISOString()).toBe(tokyoAt('2026-12-01').toISOString());
		// made in the year-end closure: counts from 1/4
		expect(slaDueAt(tokyoAt('2026-12-30', '10:00'), 1).toISOString()).toBe(tokyoAt('2027-01-05').toISOString());
	});
	it('is overdue only while open, uncontacted and past due', () => {
		const due = tokyoAt('2026-12-02');
		const after = new Date(due.getTime() + 1000);
		const before = new Date(due.getTime() - 1000);
		expect(isOverdue({ status: 'new', dueAt: due, firstContactAt: null }, after)).toBe(true);
		expect(isOverdue({ status: 'in_progress', dueAt: due, firstContactAt: null }, after)).toBe(true);
		expect(isOverdue({ status: 'new', dueAt: due, firstContactAt: null }, before)).toBe(false);
		expect(isOverdue({ status: 'in_progress', dueAt: due, firstContactAt: before }, after)).toBe(false);
		expect(isOverdue({ status: 'resolved', dueAt: due, firstContactAt: null }, after)).toBe(false);
		expect(isOverdue({ status: 'returned', dueAt: due, firstContactAt: null }, after)).toBe(false);
		expect(isOverdue({ status: 'new', dueAt: null, firstContactAt: null }, after)).toBe(false);
	});
	it('ages in hours, shown in days and hours', () => {
		const t0 = tokyoAt('2026-11-27', '09:00');
		expect(ageHours(t0, new Date(t0.getTime() + 50 * 3_600_000 + 59 * 60_000))).toBe(50);
		expect(ageHours(t0, new Date(t0.getTime() - 1000))).toBe(0);
		expect(ageText(50, 'ja')).toBe('2日2時間');
		expect(ageText(5, 'ja')).toBe('5時間');
		expect(ageText(50, 'en')).toBe('2d 2h');
	});
});

describe('transitions', () => {
	const me = { actorId: 7, assignedTo: null };
	it('new → in_progress by taking; in progress → resolved or returned', () => {
		expect(transition('new', 'take', me)).toEqual({ ok: true, to: 'in_progress' });
		expect(transition('in_progress', 'resolve', { actorId: 7, assignedTo: 7 })).toEqual({ ok: true, to: 'resolved' });
		expect(transition('in_progress', 'return', { actorId: 7, assignedTo: 7 })).toEqual({ ok: true, to: 'returned' });
		expect(transition('in_progress', 'note', { actorId: 7, assignedTo: 7 })).toEqual({ ok: true, to: 'in_progress' });
		expect(transition('in_progress', 'assign', { actorId: 7, assignedTo: 7 })).toEqual({ ok: true, to: 'new' });
	});
	it('refuses to resolve or return what nobody took, to take another’s, and anything once closed', () => {
		expect(transition('new', 'resolve', me)).toEqual({ ok: false, problem: 'not_taken' });
		expect(transition('new', 'return', me)).toEqual({ ok: false, problem: 'not_taken' });
		expect(transition('in_progress', 'take', { actorId: 7, assignedTo: 8 })).toEqual({ ok: false, problem: 'taken_by_other' });
		expect(transition('new', 'take', { actorId: 7, assignedTo: 8 })).toEqual({ ok: false, problem: 'taken_by_other' });
		expect(transition('new', 'take', { actorId: 8, assignedTo: 8 })).toEqual({ ok: true, to: 'in_progress' });
		for (const s of ['resolved', 'returned'] as const)
			for (const a of ['take', 'assign', 'note', 'resolve', 'return'] as const) expect(transition(s, a, me)).toEqual({ ok: false, problem: 'closed' });
	});
	it('only 架電再開 lets the center call again after a resolution', () => {
		expect(resumesCalls('resume_calls')).toBe(true);
		expect(resumesCalls('installment_agreed')).toBe(false);
		expect(resumesCalls('nonsense')).toBe(false);
	});
});

describe('summary', () => {
	it('counts open, untaken and overdue handoffs and their ages by reason', () => {
		const now = tokyoAt('2026-12-03', '12:00');
		const s = summarize(
			[
				{ reason: 'complaint', status: 'new', createdAt: tokyoAt('2026-12-01', '12:00'), dueAt: tokyoAt('2026-12-03'), firstContactAt: null },
				{ reason: 'complaint', status: 'in_progress', createdAt: tokyoAt('2026-12-03', '10:00'), dueAt: tokyoAt('2026-12-05'), firstContactAt: null },
				{ reason: 'installment', status: 'resolved', createdAt: tokyoAt('2026-11-01', '10:00'), dueAt: tokyoAt('2026-11-04'), firstContactAt: null }
			],
			now
		);
		const complaint = s.byReason.find((r) => r.reason === 'complaint')!;
		expect(complaint).toEqual({ reason: 'complaint', open: 2, untaken: 1, overdue: 1, oldestHours: 48, meanHours: 25 });
		expect(s.byReason.find((r) => r.reason === 'installment')).toMatchObject({ open: 0, overdue: 0, oldestHours: 0 });
		expect(s.total).toEqual({ open: 2, untaken: 1, overdue: 1, oldestHours: 48 });
	});
});

describe('display', () => {
	it('shows dates with the Japanese era and the callback window compactly', async () => {
		const { callbackWindowText, staffDateTime } = await import('./handoffs.ts');
		expect(staffDateTime(tokyoAt('2026-12-01', '10:00'))).toBe('2026-12-01（令和8年12月1日） 10:00');
		expect(callbackWindowText(tokyoAt('2026-12-01', '10:00'), tokyoAt('2026-12-01', '12:00'))).toBe('2026-12-01（令和8年12月1日） 10:00〜12:00');
		expect(callbackWindowText(tokyoAt('2026-12-01', '10:00'), null)).toBe('2026-12-01（令和8年12月1日） 10:00〜');
		expect(callbackWindowText(null, null)).toBeNull();
	});
});

describe('staffDueText', () => {
	it('shows the midnight after the due day as the due day itself, not the next day at 00:00', () => {
		const due = slaDueAt(new Date('2026-11-29T12:50:00Z'), 2); // made Sun 29 Nov (Tokyo): due by the end of Tue 1 Dec
		expect(due.toISOString()).toBe('2026-12-01T15:00:00.000Z');
		expect(staffDueText(due, 'ja')).toBe('2026-12-01（令和8年12月1日）中');
		expect(staffDueText(due.toISOString(), 'en')).toBe('2026-12-01 (Reiwa 8), end of day');
		expect(staffDueText('2026-12-01T06:30:00Z', 'en')).toBe('2026-12-01 (Reiwa 8) 15:30');
	});
	it('shows a due time that is not a Tokyo midnight as it is', () => {
		expect(staffDueText('2026-12-01T06:30:00Z', 'ja')).toBe('2026-12-01（令和8年12月1日） 15:30');
	});
});

describe('recallNotBeforeProblem (再架電は次の日以降)', () => {
	const today = '2026-11-10';
	it('takes blank (none), today, and up to 90 days ahead', () => {
		expect(recallNotBeforeProblem(undefined, today)).toBeNull();
		expect(recallNotBeforeProblem('', today)).toBeNull();
		expect(recallNotBeforeProblem('  ', today)).toBeNull();
		expect(recallNotBeforeProblem('2026-11-10', today)).toBeNull();
		expect(recallNotBeforeProblem('2026-11-15', today)).toBeNull();
		expect(recallNotBeforeProblem('2027-02-08', today)).toBeNull(); // today + 90
	});
	it('refuses the past, beyond the horizon, and what is not a date, by a code with its values', () => {
		expect(recallNotBeforeProblem('2026-11-09', today)).toMatchObject({ code: 'date_in_past', params: { min: '2026-11-10' } });
		expect(recallNotBeforeProblem('2027-02-09', today)).toMatchObject({ code: 'date_beyond_horizon', params: { max: '2027-02-08', days: RECALL_HORIZON_DAYS } });
		expect(recallNotBeforeProblem('2026-02-30', today)).toMatchObject({ code: 'no_such_date' });
		expect(recallNotBeforeProblem('11/15', today)).toMatchObject({ code: 'date_format' });
		expect(recallNotBeforeProblem(20261115, today)).toMatchObject({ code: 'date_format' });
	});
	it('is shown with the era', () => {
		expect(notBeforeText('2026-12-15', 'ja')).toBe('2026-12-15（令和8年12月15日） 以降');
		expect(notBeforeText('2026-12-15', 'en')).toBe('from 2026-12-15 (Reiwa 8)');
	});
});
