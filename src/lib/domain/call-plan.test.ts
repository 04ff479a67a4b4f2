import { describe, expect, it } from 'vitest';
import {
	callingDayFraction,
	cellProgress,
	fiscalYearWeeks,
	isMonday,
	mondayOf,
	monthOfWeek,
	monthProgress,
	planStatus,
	planTable,
	planWeekProblems,
	sumProgress,
	tokyoWeekOf,
	weekInFiscalYear,
	weekShare,
	workingDaysOf,
	type ActualRow,
	type PlanRow
} from './call-plan.ts';

const at = (iso: string) => new Date(`${iso}+09:00`);

describe('weeks (Tokyo, Monday–Sunday)', () => {
	it('finds the Monday of any day', () => {
		expect(mondayOf('2026-11-02')).toBe('2026-11-02'); // a Monday
		expect(mondayOf('2026-11-08')).toBe('2026-11-02'); // Sunday
		expect(mondayOf('2026-11-09')).toBe('2026-11-09');
		expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // across the year
		expect(isMonday('2026-11-02')).toBe(true);
		expect(isMonday('2026-11-03')).toBe(false);
	});
	it('takes the Tokyo day of an instant', () => {
		// Sunday 23:30 UTC is Monday 08:30 in Tokyo
		expect(tokyoWeekOf(new Date('2026-11-08T23:30:00Z'))).toBe('2026-11-09');
		expect(tokyoWeekOf(new Date('2026-11-08T14:59:00Z'))).toBe('2026-11-02');
	});
	it('counts working days: holidays and the year-end closure are not', () => {
		expect(workingDaysOf('2026-11-09')).toHaveLength(5);
		expect(workingDaysOf('2026-11-02')).toEqual(['2026-11-02', '2026-11-04', '2026-11-05', '2026-11-06']); // 11/3 文化の日
		expect(workingDaysOf('2025-12-29')).toEqual([]); // 12/29–1/2 closure, then the weekend
	});
	it('lists the weeks of a fiscal year and says which belong to it', () => {
		const w = fiscalYearWeeks(2026);
		expect(w[0]).toBe('2026-03-30'); // the week of 2026-04-01 (Wednesday)
		expect(w.at(-1)).toBe('2027-03-29'); // the week of 2027-03-31
		expect(w.every(isMonday)).toBe(true);
		expect(w).toHaveLength(53);
		expect(weekInFiscalYear('2026-03-30', 2026)).toBe(true);
		expect(weekInFiscalYear('2026-03-23', 2026)).toBe(false);
		expect(weekInFiscalYear('2027-03-29', 2026)).toBe(true);
		expect(weekInFiscalYear('2027-04-05', 2026)).toBe(false);
		expect(monthOfWeek('2026-11-30')).toBe('2026-11');
	});
});

describe('a plan week’s checks', () => {
	const ok = { weekStart: '2026-11-09', targetAttempts: 100, targetContacts: 30, targetPromises: 10, staffHours: 40 };
	it('passes a good week', () => expect(planWeekProblems(ok, 2026)).toEqual([]));
	it('names the field of each problem', () => {
		expect(planWeekProblems({ ...ok, weekStart: '2026-11-10' }, 2026)).toEqual([{ path: ['weekStart'], message: 'must be a Monday' }]);
		expect(planWeekProblems({ ...ok, weekStart: '2027-04-05' }, 2026)).toEqual([{ path: ['weekStart'], message: 'not a week of fiscal year 2026' }]);
		expect(planWeekProblems({ ...ok, targetContacts: 101, targetPromises: 101 }, 2026).map((p) => p.path[0])).toEqual(['targetContacts', 'targetPromises']);
		expect(planWeekProblems({ ...ok, targetAttempts: 0, targetContacts: 0, targetPromises: 0 }, 2026)).toEqual([]);
	});
});

describe('expected to date', () => {
	it('is nothing before the week, everything after it', () => {
		expect(weekShare('2026-11-09', '2026-11-08')).toBe(0);
		expect(weekShare('2026-11-09', '2026-11-16')).toBe(1);
	});
	it('counts working days passed, today by the share of its calling day', () => {
		// Wednesday at the end of the day: 3 of 5
		expect(weekShare('2026-11-09', '2026-11-11', 1)).toBeCloseTo(3 / 5);
		// Wednesday at the start: Monday and Tuesday
		expect(weekShare('2026-11-09', '2026-11-11', 0)).toBeCloseTo(2 / 5);
		// the week of 文化の日 has 4 working days; on the holiday itself only Monday counts, whatever the hour
		expect(weekShare('2026-11-02', '2026-11-03', 0.5)).toBeCloseTo(1 / 4);
		// Saturday: all five done
		expect(weekShare('2026-11-09', '2026-11-14', 0.2)).toBe(1);
		// the year-end closure week: nothing expected until it is over
		expect(weekShare('2025-12-29', '2025-12-31')).toBe(0);
		expect(weekShare('2025-12-29', '2026-01-05')).toBe(1);
	});
	it('takes the share of the calling day 08:00–21:00', () => {
		expect(callingDayFraction(at('2026-11-11T07:00:00'))).toBe(0);
		expect(callingDayFraction(at('2026-11-11T14:30:00'))).toBeCloseTo(0.5);
		expect(callingDayFraction(at('2026-11-11T22:00:00'))).toBe(1);
	});
});

describe('progress and status', () => {
	it('status: ±10% of expected; none without a target; not started when nothing is expected yet', () => {
		expect(planStatus(110, 100, 200)).toBe('ahead');
		expect(planStatus(109, 100, 200)).toBe('on_track');
		expect(planStatus(90, 100, 200)).toBe('on_track');
		expect(planStatus(89, 100, 200)).toBe('behind');
		expect(planStatus(5, 0, 200)).toBe('not_started');
		expect(planStatus(5, 0, 0)).toBe('none');
	});
	it('progress = actual ÷ target, null for a zero target', () => {
		const p = cellProgress({ attempts: 200, contacts: 50, promises: 0 }, 40, { attempts: 120, contacts: 20, promises: 3 }, 0.5);
		expect(p.progress).toEqual({ attempts: 0.6, contacts: 0.4, promises: null });
		expect(p.expected).toEqual({ attempts: 100, contacts: 25, promises: 0 });
		expect(p.status).toEqual({ attempts: 'ahead', contacts: 'behind', promises: 'none' });
	});
	it('sums add up and take progress from the sums', () => {
		const a = cellProgress({ attempts: 100, contacts: 20, promises: 5 }, 10, { attempts: 50, contacts: 10, promises: 1 }, 1);
		const b = cellProgress({ attempts: 300, contacts: 0, promises: 5 }, 30, { attempts: 250, contacts: 4, promises: 4 }, 1);
		const s = sumProgress([a, b]);
		expect(s.targets).toEqual({ attempts: 400, contacts: 20, promises: 10 });
		expect(s.actuals).toEqual({ attempts: 300, contacts: 14, promises: 5 });
		expect(s.staffHours).toBe(40);
		expect(s.progress.attempts).toBe(0.75);
		expect(s.status.attempts).toBe('behind');
		expect(sumProgress([]).progress).toEqual({ attempts: null, contacts: null, promises: null });
	});
});

describe('the plan table', () => {
	const rows: PlanRow[] = [
		{ id: 1, weekStart: '2026-11-02', segmentId: 7, targetAttempts: 100, targetContacts: 20, targetPromises: 5, staffHours: 20 },
		{ id: 2, weekStart: '2026-11-02', segmentId: 3, targetAttempts: 200, targetContacts: 40, targetPromises: 10, staffHours: 40 },
		{ id: 3, weekStart: '2026-11-09', segmentId: 7, targetAttempts: 150, targetContacts: 30, targetPromises: 6, staffHours: 30 },
		{ id: 4, weekStart: '2026-11-30', segmentId: 3, targetAttempts: 80, targetContacts: 10, targetPromises: 2, staffHours: 16 }
	];
	const actuals: ActualRow[] = [
		{ weekStart: '2026-11-02', segmentId: 7, attempts: 90, contacts: 21, promises: 5 },
		{ weekStart: '2026-11-02', segmentId: 3, attempts: 120, contacts: 30, promises: 4 },
		{ weekStart: '2026-11-02', segmentId: 9, attempts: 17, contacts: 2, promises: 0 }, // no plan row
		{ weekStart: '2026-11-09', segmentId: 7, attempts: 40, contacts: 5, promises: 1 }
	];
	// Wednesday 2026-11-11 at 14:30: the week of 11/9 is in progress, 2.5 of 5 working days passed
	const t = planTable(rows, actuals, at('2026-11-11T14:30:00'), [3, 7], new Map([['2026-11-02', 36_000 + 1_800], ['2026-11-09', 7_200]]));

	it('lays out weeks × segments in the segments’ order with their actuals', () => {
		expect(t.weeks.map((w) => w.weekStart)).toEqual(['2026-11-02', '2026-11-09', '2026-11-30']);
		expect(t.weeks[0].cells.map((c) => c.segmentId)).toEqual([3, 7]);
		expect(t.weeks[0].cells[1]).toMatchObject({ id: 1, actuals: { attempts: 90, contacts: 21, promises: 5 }, status: { attempts: 'on_track', contacts: 'on_track', promises: 'on_track' } });
		expect(t.weeks[0].cells[0].status.attempts).toBe('behind');
		expect(t.weeks[0].unplannedAttempts).toBe(17);
		expect(t.weeks[2].cells[0].actuals).toEqual({ attempts: 0, contacts: 0, promises: 0 });
	});
	it('gives the week in progress its expected to date', () => {
		const w = t.weeks[1];
		expect(w.current).toBe(true);
		expect(w.share).toBeCloseTo(0.5);
		expect(w.cells[0].expected.attempts).toBeCloseTo(75);
		expect(w.cells[0].status.attempts).toBe('behind'); // 40 of 75 expected
		expect(t.weeks[2].cells[0].status.attempts).toBe('not_started');
	});
	it('adds up: the weeks’ totals and the segments’ totals both equal the plan’s total', () => {
		const sum = (xs: { targets: { attempts: number }; actuals: { attempts: number; contacts: number; promises: number }; staffHours: number }[]) =>
			xs.reduce((s, x) => ({ t: s.t + x.targets.attempts, a: s.a + x.actuals.attempts, c: s.c + x.actuals.contacts, p: s.p + x.actuals.promises, h: s.h + x.staffHours }), { t: 0, a: 0, c: 0, p: 0, h: 0 });
		const total = { t: t.total.targets.attempts, a: t.total.actuals.attempts, c: t.total.actuals.contacts, p: t.total.actuals.promises, h: t.total.staffHours };
		expect(total).toEqual({ t: 530, a: 250, c: 56, p: 10, h: 106 });
		expect(sum(t.weeks.map((w) => w.total))).toEqual(total);
		expect(sum(t.segments)).toEqual(total);
		expect(t.segments.map((s) => s.segmentId)).toEqual([3, 7]);
	});
	it('gives each week its hours worked (one decimal) and sums them', () => {
		expect(t.weeks.map((w) => w.hoursWorked)).toEqual([10.5, 2, 0]);
		expect(t.hoursWorked).toBe(12.5);
	});
	it('gives a month the weeks that begin in it', () => {
		const m = monthProgress(t, '2026-11');
		expect(m.weeks).toEqual(['2026-11-02', '2026-11-09', '2026-11-30']);
		expect(m.total.targets.attempts).toBe(530);
		expect(monthProgress(t, '2026-12')).toMatchObject({ weeks: [], segments: [], total: { targets: { attempts: 0 }, progress: { attempts: null } } });
	});
});
