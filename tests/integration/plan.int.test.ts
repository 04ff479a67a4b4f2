/**
 * The call plan (issue #8 part B) against the real database: the actuals per week × segment equal direct counts over
 * the call rows, bad input is refused naming the field, a stale version is refused and nothing changes, only
 * supervisors change the plan and only supervisors and managers read it, and the manager's report carries the
 * month's progress once the provider is registered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { addPlanWeek, copyPlanWeek, createPlan, planMonthProgress, planPage, planProgressNow, removePlanWeek, renamePlan, updatePlanWeek } from '../../src/lib/server/plan/plan.ts';
import { registerPlanProgress } from '../../src/lib/server/plan/register.ts';
import { managerReport, setPlanProgressProvider } from '../../src/lib/server/reports/reports.ts';
import { mondayOf } from '../../src/lib/domain/call-plan.ts';
import { addDays } from '../../src/lib/domain/tokyo-time.ts';
import { fiscalYearOf, tokyoDate } from '../../src/lib/domain/format.ts';
import { operatorPerformanceReport } from '../../src/lib/server/reports/performance.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
afterEach(() => setPlanProgressProvider(null));

const targets = { targetAttempts: 100, targetContacts: 30, targetPromises: 10, staffHours: 40 };

describe('call plan', () => {
	let sv: Actor;
	let mgr: Actor;
	let segA: number;
	let segB: number;
	let planId: number;
	let version: number;
	const today = tokyoDate();
	const fy = fiscalYearOf(today);
	const week = mondayOf(today);
	const lastWeek = addDays(week, -7);
	// the plan's weeks must be weeks of its fiscal year: in the first week of April last week is in the year before
	const planFy = fiscalYearOf(week) === fiscalYearOf(lastWeek) ? fy : null;

	beforeAll(async () => {
		await resetDb(sql);
		await sql`delete from call_plans`;
		segA = await newSegment(sql);
		segB = await newSegment(sql);
		for (let i = 0; i < 4; i++) await newHousehold(sql, { segmentId: segA, owed: 90_000 + i });
		for (let i = 0; i < 3; i++) await newHousehold(sql, { segmentId: segB, owed: 50_000 + i });
		sv = await newUser(sql, 'supervisor');
		mgr = await newUser(sql, 'manager');
		const opA = await newOperator(sql, [segA]);
		const opB = await newOperator(sql, [segB]);
		const work = async (op: Actor, input: Record<string, unknown>) => {
			const c = await claimNextHousehold(op);
			await recordCallOutcome(op, { householdId: c.householdId, ...input });
			return c.householdId;
		};
		await work(opA, { outcomeCode: '10' });
		await work(opA, { outcomeCode: '40', party: 'self', promise: { amount: 12_000, dueDate: addDays(today, 5) } });
		await work(opA, { outcomeCode: '20', party: 'self' });
		await work(opB, { outcomeCode: '20', party: 'self' });
		await work(opB, { outcomeCode: '21' });
		// a call of last week in segment A (moved back in time), right party: counts in last week only
		await sql`update calls set recorded_at = recorded_at - interval '7 days', started_at = started_at - interval '7 days'
			where id = (select min(id) from calls where segment_id = ${segA} and outcome_code = '20')`;
		const p = await createPlan(sv, { fiscalYear: fy, name: 'テスト計画' });
		planId = p.planId;
		version = p.version;
	});

	it('creates one plan per fiscal year, and adds weeks with their targets', async () => {
		await expect(createPlan(sv, { fiscalYear: fy, name: 'again' })).rejects.toMatchObject({ code: 'invalid_input', details: { fiscalYear: 'this fiscal year has a plan already' } });
		const a = await addPlanWeek(sv, { planId, version, weekStart: week, segmentId: segA, ...targets });
		expect(a.version).toBe(version + 1);
		version = a.version;
		version = (await addPlanWeek(sv, { planId, version, weekStart: week, segmentId: String(segB), targetAttempts: '50', targetContacts: '10', targetPromises: '0', staffHours: '8' })).version;
		if (planFy !== null) version = (await addPlanWeek(sv, { planId, version, weekStart: lastWeek, segmentId: segA, ...targets })).version;
		const [row] = await sql<{ n: number }[]>`select count(*)::int as n from call_plan_weeks where plan_id = ${planId}`;
		expect(row.n).toBe(planFy !== null ? 3 : 2);
		const log = await sql<{ action: string }[]>`select action from access_log where action = 'plan.change'`;
		expect(log.length).toBe(planFy !== null ? 4 : 3);
	});

	it('shows actuals per week × segment equal to direct counts over the calls', async () => {
		const page = await planPage(mgr, {});
		expect(page.plan).toMatchObject({ id: planId, version, name: 'テスト計画' });
		expect(page.canEdit).toBe(false);
		const direct = await sql<{ week: string; segmentId: number; attempts: number; contacts: number; promises: number }[]>`
			select date_trunc('week', (c.recorded_at at time zone 'Asia/Tokyo')::date)::date::text as week, c.segment_id,
			  count(*)::int as attempts,
			  count(distinct c.household_id) filter (where o.right_party)::int as contacts,
			  count(*) filter (where o.kind = 'promise')::int as promises
			from calls c join outcome_codes o on o.code = c.outcome_code group by 1, 2`;
		expect(direct.reduce((s, d) => s + d.attempts, 0)).toBe(5);
		const cells = page.table.weeks.flatMap((w) => w.cells.map((c) => ({ week: w.weekStart, ...c })));
		expect(cells.length).toBe(planFy !== null ? 3 : 2);
		for (const c of cells) {
			const d = direct.find((x) => x.week === c.week && x.segmentId === c.segmentId);
			expect(c.actuals).toEqual({ attempts: d?.attempts ?? 0, contacts: d?.contacts ?? 0, promises: d?.promises ?? 0 });
		}
		const a = cells.find((c) => c.week === week && c.segmentId === segA)!;
		expect(a.actuals).toEqual({ attempts: 2, contacts: 1, promises: 1 });
		expect(a.targets).toEqual({ attempts: 100, contacts: 30, promises: 10 });
		expect(a.progress.attempts).toBeCloseTo(0.02);
		expect(cells.find((c) => c.week === week && c.segmentId === segB)!.actuals).toEqual({ attempts: 2, contacts: 1, promises: 0 });
		if (planFy !== null) {
			const last = cells.find((c) => c.week === lastWeek)!;
			expect(last.actuals).toEqual({ attempts: 1, contacts: 1, promises: 0 });
			expect(last.expected.attempts).toBe(100); // a past week: the whole target
			expect(last.status.attempts).toBe('behind');
		}
		// totals add up
		expect(page.table.total.actuals.attempts).toBe(cells.reduce((s, c) => s + c.actuals.attempts, 0));
		expect(page.table.segments.reduce((s, x) => s + x.actuals.attempts, 0)).toBe(page.table.total.actuals.attempts);
		expect(page.table.weeks.reduce((s, w) => s + w.total.targets.attempts, 0)).toBe(page.table.total.targets.attempts);
	});

	it('gives each week the hours operators worked, as the operators’ performance view counts them', async () => {
		const op = await newUser(sql, 'operator');
		const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+09:00`);
		// Monday of last week: 09:00–11:30 available, then on a household 30 minutes, a break, offline
		await sql`insert into operator_state_changes (user_id, state, at) values
			(${op.id}, 'available', ${at(lastWeek, '09:00')}), (${op.id}, 'on_household', ${at(lastWeek, '11:30')}),
			(${op.id}, 'break', ${at(lastWeek, '12:00')}), (${op.id}, 'offline', ${at(lastWeek, '13:00')})`;
		const page = await planPage(sv, {});
		for (const w of page.table.weeks) {
			const perf = await operatorPerformanceReport(sv, { from: w.weekStart, to: addDays(w.weekStart, 6) });
			const s = perf.totals.seconds;
			expect(w.hoursWorked).toBe(Math.round((s.available + s.on_household + s.wrap_up) / 360) / 10);
		}
		if (planFy !== null) expect(page.table.weeks.find((w) => w.weekStart === lastWeek)!.hoursWorked).toBeGreaterThanOrEqual(3);
		expect(page.table.hoursWorked).toBeCloseTo(page.table.weeks.reduce((s, w) => s + w.hoursWorked, 0), 5);
	});

	it('refuses bad input by field, and changes nothing', async () => {
		const before = await sql`select * from call_plan_weeks order by id`;
		const add = (x: Record<string, unknown>) => addPlanWeek(sv, { planId, version, weekStart: week, segmentId: segA, ...targets, ...x });
		await expect(add({ weekStart: addDays(week, 1) })).rejects.toMatchObject({ code: 'invalid_input', details: { weekStart: 'must be a Monday' } });
		await expect(add({ weekStart: '2026-02-30' })).rejects.toMatchObject({ details: { weekStart: 'not a real date' } });
		await expect(add({ weekStart: mondayOf(`${fy + 2}-04-10`) })).rejects.toMatchObject({ details: { weekStart: expect.stringContaining('not a week of fiscal year') } });
		await expect(add({ targetAttempts: -1 })).rejects.toMatchObject({ details: { targetAttempts: 'must be 0 or more' } });
		await expect(add({ targetPromises: 'ten' })).rejects.toMatchObject({ details: { targetPromises: 'must be a whole number 0 or more' } });
		await expect(add({ staffHours: undefined })).rejects.toMatchObject({ details: { staffHours: 'required' } });
		await expect(add({ targetContacts: 101 })).rejects.toMatchObject({ details: { targetContacts: 'at most the target attempts' } });
		await expect(add({ segmentId: 999_999 })).rejects.toMatchObject({ details: { segmentId: 'no such segment' } });
		await expect(add({})).rejects.toMatchObject({ details: { segmentId: expect.stringContaining('planned for this week already') } });
		await expect(createPlan(sv, { fiscalYear: 'x', name: '' })).rejects.toMatchObject({ details: { fiscalYear: 'must be a year', name: 'required' } });
		await expect(copyPlanWeek(sv, { planId, version, from: addDays(week, 2) })).rejects.toMatchObject({ details: { from: 'must be a Monday' } });
		await expect(copyPlanWeek(sv, { planId, version, from: addDays(week, 14) })).rejects.toMatchObject({ details: { from: 'this week has no rows to copy' } });
		expect(await sql`select * from call_plan_weeks order by id`).toEqual(before);
		expect((await planPage(sv, {})).plan?.version).toBe(version);
	});

	it('refuses a stale version: nothing changes, the message says to reload', async () => {
		const rows = await sql<{ id: number }[]>`select id from call_plan_weeks where plan_id = ${planId} order by id`;
		const before = await sql`select * from call_plan_weeks order by id`;
		const stale = version - 1;
		const refused = { code: 'conflict', details: { version: String(version) }, message: expect.stringContaining('changed by someone else') };
		await expect(updatePlanWeek(sv, { planId, version: stale, weekId: rows[0].id, ...targets, targetAttempts: 500 })).rejects.toMatchObject(refused);
		await expect(removePlanWeek(sv, { planId, version: stale, weekId: rows[0].id })).rejects.toMatchObject(refused);
		await expect(addPlanWeek(sv, { planId, version: stale, weekStart: addDays(week, 7), segmentId: segA, ...targets })).rejects.toMatchObject(refused);
		await expect(copyPlanWeek(sv, { planId, version: stale, from: week })).rejects.toMatchObject(refused);
		await expect(renamePlan(sv, { planId, version: stale, name: 'x' })).rejects.toMatchObject(refused);
		expect(await sql`select * from call_plan_weeks order by id`).toEqual(before);
		const [p] = await sql<{ version: number; name: string }[]>`select version, title as name from call_plans where id = ${planId}`;
		expect(p).toEqual({ version, name: 'テスト計画' });
	});

	it('updates, copies a week forward, removes', async () => {
		const [row] = await sql<{ id: number }[]>`select id from call_plan_weeks where plan_id = ${planId} and week_start = ${week}::date and segment_id = ${segA}`;
		version = (await updatePlanWeek(sv, { planId, version, weekId: row.id, targetAttempts: 120, targetContacts: 40, targetPromises: 12, staffHours: 48 })).version;
		const [u] = await sql`select target_attempts, target_contacts, target_promises, staff_hours from call_plan_weeks where id = ${row.id}`;
		expect(u).toEqual({ targetAttempts: 120, targetContacts: 40, targetPromises: 12, staffHours: 48 });
		const next = addDays(week, 7);
		if (fiscalYearOf(next) === fy) {
			const c = await copyPlanWeek(sv, { planId, version, from: week });
			expect(c).toMatchObject({ copied: 2, skipped: 0, to: next });
			version = c.version;
			const again = await copyPlanWeek(sv, { planId, version, from: week, to: next });
			expect(again).toMatchObject({ copied: 0, skipped: 2 });
			version = again.version;
		}
		version = (await removePlanWeek(sv, { planId, version, weekId: row.id })).version;
		expect(await sql`select id from call_plan_weeks where id = ${row.id}`).toHaveLength(0);
		await expect(removePlanWeek(sv, { planId, version, weekId: row.id })).rejects.toMatchObject({ code: 'not_found' });
		version = (await addPlanWeek(sv, { planId, version, weekStart: week, segmentId: segA, ...targets })).version;
		version = (await renamePlan(sv, { planId, version, name: '  改名した計画 ' })).version;
		expect((await planPage(sv, {})).plan).toMatchObject({ name: '改名した計画', version });
		version = (await renamePlan(sv, { planId, version, name: 'テスト計画' })).version;
	});

	it('lets only supervisors change the plan, and supervisors and managers read it', async () => {
		for (const role of ['operator', 'manager', 'staff', 'admin', 'auditor'] as const) {
			const who = await newUser(sql, role);
			await expect(createPlan(who, { fiscalYear: fy + 1, name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(addPlanWeek(who, { planId, version, weekStart: week, segmentId: segB, ...targets })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(updatePlanWeek(who, { planId, version, weekId: 1, ...targets })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(removePlanWeek(who, { planId, version, weekId: 1 })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(copyPlanWeek(who, { planId, version, from: week })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(renamePlan(who, { planId, version, name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		for (const role of ['operator', 'staff', 'admin', 'auditor'] as const) {
			const who = await newUser(sql, role);
			await expect(planPage(who, {})).rejects.toMatchObject({ code: 'forbidden' });
			await expect(planProgressNow(who, {})).rejects.toMatchObject({ code: 'forbidden' });
		}
		// the page's refresh: the same table as the page, and the plan's version
		const [refresh, page] = await Promise.all([planProgressNow(mgr, { fy }), planPage(mgr, { fy })]);
		expect(refresh.version).toBe(version);
		expect(refresh.table.total.actuals).toEqual(page.table.total.actuals);
		expect(refresh.table.weeks.map((w) => w.weekStart)).toEqual(page.table.weeks.map((w) => w.weekStart));
		expect((await planProgressNow(mgr, { fy: fy + 5 })).version).toBeNull();
		expect((await planPage(sv, {})).canEdit).toBe(true);
		expect((await planPage(mgr, {})).canEdit).toBe(false);
		await expect(planPage(mgr, { fy: '19x' })).rejects.toMatchObject({ code: 'invalid_input', details: { fy: 'must be a year' } });
	});

	it('gives the manager’s report the month’s progress once registered', async () => {
		const month = week.slice(0, 7);
		expect((await managerReport(mgr, { month })).planProgress).toBeNull();
		registerPlanProgress();
		const r = await managerReport(mgr, { month });
		const p = r.planProgress as Awaited<ReturnType<typeof planMonthProgress>>;
		expect(p).toMatchObject({ fiscalYear: fiscalYearOf(`${month}-01`), month, planName: 'テスト計画' });
		expect(p!.weeks).toContain(week);
		const direct = await planMonthProgress({ month });
		expect(p!.total.actuals).toEqual(direct!.total.actuals);
		expect(p!.total.targets).toEqual(direct!.total.targets);
		expect(p!.total.actuals.attempts).toBe(p!.segments.reduce((s, x) => s + x.actuals.attempts, 0));
		// a month of a fiscal year without a plan
		expect((await managerReport(mgr, { month: `${fy + 3}-05` })).planProgress).toBeNull();
	});
});
