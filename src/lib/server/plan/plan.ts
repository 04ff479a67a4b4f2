/**
 * The call plan (納付案内計画, issue #8 part B): one plan per fiscal year, weeks × segments with targets (架電件数,
 * 本人接触, 納付約束) and planned operator-hours, and its progress from the live calls. Supervisors edit it
 * (plan.manage); supervisors and managers read it (reports.view). Every change names the plan version the editor
 * showed; a change over someone else's is refused (StalePlanError) and nothing is written. Changes are recorded in
 * the access log (plan.change). Targets and aggregates only: no household's data here.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id, isoDate } from '../validation.ts';
import { can } from '../../domain/roles.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import { addDays, tokyoAt } from '../../domain/tokyo-time.ts';
import { fiscalYearWeeks, isMonday, mondayOf, monthOfWeek, monthProgress, planTable, planWeekProblems, weekInFiscalYear, type MonthPlanProgress, type PlanTable } from '../../domain/call-plan.ts';
import * as q from './plan.queries.ts';
import { stateChanges } from '../reports/performance.queries.ts';
import { stateSeconds, type StateChange } from '../../domain/performance.ts';

// ─── input ──────────────────────────────────────────────────────────────────

const fiscalYear = z.coerce.number({ error: 'must be a year' }).int('must be a year').min(1990, 'from 1990').max(2100, 'up to 2100');

/** A count target: a whole number 0 … max, given as a number or a string of digits. */
const count = (max: number) =>
	z
		.union([z.number(), z.string().trim().regex(/^\d{1,9}$/, 'must be a whole number 0 or more').transform(Number)], {
			error: (iss) => (iss.input === undefined || iss.input === null || (typeof iss.input === 'string' && iss.input.trim() === '') ? 'required' : 'must be a whole number 0 or more')
		})
		.pipe(z.number().int('must be a whole number').min(0, 'must be 0 or more').max(max, `at most ${max}`));

const targets = {
	targetAttempts: count(1_000_000),
	targetContacts: count(1_000_000),
	targetPromises: count(1_000_000),
	staffHours: count(100_000)
};
const planName = z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'at most 100 characters');
const monday = isoDate.refine(isMonday, 'must be a Monday');

const createInput = z.object({ fiscalYear, name: planName });
const renameInput = z.object({ planId: id, version: id, name: planName });
const addInput = z.object({ planId: id, version: id, weekStart: isoDate, segmentId: id, ...targets });
const updateInput = z.object({ planId: id, version: id, weekId: id, ...targets });
const removeInput = z.object({ planId: id, version: id, weekId: id });
const copyInput = z
	.object({ planId: id, version: id, from: monday, to: monday.optional() })
	.transform((r) => ({ ...r, to: r.to ?? addDays(r.from, 7) }))
	.refine((r) => r.to !== r.from, { path: ['to'], message: 'must differ from the week copied' });

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
	const r = schema.safeParse(raw);
	if (!r.success) throw invalidInput(r.error.issues);
	return r.data;
}

// ─── reading ────────────────────────────────────────────────────────────────

export interface PlanPage {
	fiscalYear: number;
	today: string;
	currentWeek: string;
	plan: q.PlanHead | null;
	segments: q.SegmentChoice[];
	table: PlanTable;
	/** the Mondays of the fiscal year (the form's choices) */
	weeksOfYear: string[];
	canEdit: boolean;
	generatedAt: string;
}

/**
 * Seconds worked per week by all operators: available + on a household + wrap-up from the recorded state changes
 * (the operators' performance view counts hours worked the same way: domain/performance.ts stateSeconds).
 */
async function workedSeconds(sql: Db, weeks: readonly string[], now: Date): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	if (weeks.length === 0) return out;
	const changes = await stateChanges(sql, tokyoAt(weeks[0]), tokyoAt(addDays(weeks[weeks.length - 1], 7)));
	const byUser = new Map<number, StateChange[]>();
	for (const c of changes) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
	for (const w of weeks) {
		let seconds = 0;
		for (const list of byUser.values()) {
			const s = stateSeconds(list, tokyoAt(w), tokyoAt(addDays(w, 7)), now);
			seconds += s.available + s.on_household + s.wrap_up;
		}
		out.set(w, seconds);
	}
	return out;
}

async function tableOf(sql: Db, planId: number, segs: q.SegmentChoice[], now: Date): Promise<PlanTable> {
	const rows = await q.weeksOf(sql, planId);
	if (rows.length === 0) return planTable([], [], now);
	const weeks = [...new Set(rows.map((r) => r.weekStart))];
	const [acts, worked] = await Promise.all([q.actuals(sql, weeks[0], weeks[weeks.length - 1]), workedSeconds(sql, weeks, now)]);
	return planTable(rows, acts, now, segs.map((s) => s.id), worked);
}

const emptyTable = (): PlanTable => planTable([], [], new Date());

/** The plan of a fiscal year (default: this one) with live actuals and progress. Policy: reports.view. */
export async function planPage(actor: Actor, raw: { fy?: unknown } = {}, now = new Date()): Promise<PlanPage> {
	requirePermission(actor, 'reports.view');
	const today = tokyoDate(now);
	const { fy } = parse(z.object({ fy: fiscalYear.optional() }), { fy: raw.fy || undefined });
	const year = fy ?? fiscalYearOf(today);
	const sql = db();
	const [plan, segs] = await Promise.all([q.planOfYear(sql, year), q.segments(sql)]);
	return {
		fiscalYear: year,
		today,
		currentWeek: mondayOf(today),
		plan: plan ?? null,
		segments: segs,
		table: plan ? await tableOf(sql, plan.id, segs, now) : emptyTable(),
		weeksOfYear: fiscalYearWeeks(year),
		canEdit: can(actor.role, 'plan.manage'),
		generatedAt: now.toISOString()
	};
}

/**
 * The plan's table alone (the page refreshes its actuals with this every minute), with the plan's version so that the
 * page can tell when the plan itself changed. Policy: reports.view.
 */
export async function planProgressNow(actor: Actor, raw: { fy?: unknown } = {}, now = new Date()): Promise<{ fiscalYear: number; version: number | null; table: PlanTable; generatedAt: string }> {
	requirePermission(actor, 'reports.view');
	const { fy } = parse(z.object({ fy: fiscalYear.optional() }), { fy: raw.fy || undefined });
	const year = fy ?? fiscalYearOf(tokyoDate(now));
	const sql = db();
	const [plan, segs] = await Promise.all([q.planOfYear(sql, year), q.segments(sql)]);
	return { fiscalYear: year, version: plan?.version ?? null, table: plan ? await tableOf(sql, plan.id, segs, now) : emptyTable(), generatedAt: now.toISOString() };
}

/**
 * The plan's progress for the manager's report: the weeks whose Monday is in `month`, per segment and in total;
 * null when the month's fiscal year has no plan. No permission check of its own: managerReport (reports.view) calls
 * it through setPlanProgressProvider.
 */
export async function planMonthProgress(query: { month: string }, now = new Date()): Promise<MonthPlanProgress | null> {
	const year = fiscalYearOf(`${query.month}-01`);
	const sql = db();
	const plan = await q.planOfYear(sql, year);
	if (!plan) return null;
	const segs = await q.segments(sql);
	const rows = (await q.weeksOf(sql, plan.id)).filter((r) => monthOfWeek(r.weekStart) === query.month);
	const acts = rows.length ? await q.actuals(sql, rows[0].weekStart, rows[rows.length - 1].weekStart) : [];
	const m = monthProgress(planTable(rows, acts, now, segs.map((s) => s.id)), query.month);
	const byId = new Map(segs.map((s) => [s.id, s]));
	return {
		fiscalYear: year,
		month: query.month,
		planName: plan.name,
		weeks: m.weeks,
		segments: m.segments.map((s) => ({ ...s, nameJa: byId.get(s.segmentId)?.nameJa ?? `#${s.segmentId}`, nameEn: byId.get(s.segmentId)?.nameEn ?? `#${s.segmentId}` })),
		total: m.total
	};
}

// ─── changing ───────────────────────────────────────────────────────────────

/** A change that started from an older version of the plan: refused, nothing written. */
export class StalePlanError extends DomainError {
	constructor(public readonly currentVersion: number) {
		super('conflict', `the plan was changed by someone else since you opened it (now version ${currentVersion}): reload the page and make your change again`, {
			version: String(currentVersion)
		});
	}
}

export function isStalePlanError(e: unknown): e is StalePlanError {
	return e instanceof StalePlanError;
}

/** Lock the plan, check the version the editor showed, run the change, move to the next version, log it. */
async function change<T>(actor: Actor, planId: number, version: number, what: string, fn: (tx: Db, plan: { id: number; fiscalYear: number }) => Promise<T>, name?: string) {
	return db().begin(async (tx) => {
		const plan = await q.lockPlan(tx, planId);
		if (!plan) throw new DomainError('not_found', 'no such plan');
		if (plan.version !== version) throw new StalePlanError(plan.version);
		const result = await fn(tx, plan);
		const next = await q.bumpPlan(tx, planId, actor.id > 0 ? actor.id : null, name);
		await writeAccessLog(tx, actor, { action: 'plan.change', reason: `call plan ${planId} FY${plan.fiscalYear} v${next}: ${what}` });
		return { ...result, version: next };
	});
}

/** A plan for a fiscal year (supervisors); one per year. */
export async function createPlan(actor: Actor, raw: unknown): Promise<{ planId: number; version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(createInput, raw);
	return db().begin(async (tx) => {
		const row = await q.insertPlan(tx, { fiscalYear: p.fiscalYear, name: p.name, by: actor.id > 0 ? actor.id : null });
		if (!row) throw invalidInput([{ path: ['fiscalYear'], message: 'this fiscal year has a plan already' }]);
		await writeAccessLog(tx, actor, { action: 'plan.change', reason: `call plan ${row.id} FY${p.fiscalYear} v${row.version}: created` });
		return { planId: row.id, version: row.version };
	});
}

/** Rename the plan (supervisors). */
export async function renamePlan(actor: Actor, raw: unknown): Promise<{ version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(renameInput, raw);
	return change(actor, p.planId, p.version, 'renamed', async () => ({}), p.name);
}

/** Add a week × segment with its targets (supervisors). */
export async function addPlanWeek(actor: Actor, raw: unknown): Promise<{ weekId: number; version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(addInput, raw);
	return change(actor, p.planId, p.version, `week ${p.weekStart} segment ${p.segmentId} added`, async (tx, plan) => {
		const problems = planWeekProblems(p, plan.fiscalYear);
		if (problems.length) throw invalidInput(problems);
		if (!(await q.segmentExists(tx, p.segmentId))) throw invalidInput([{ path: ['segmentId'], message: 'no such segment' }]);
		const weekId = await q.insertWeek(tx, plan.id, p);
		if (!weekId) throw invalidInput([{ path: ['segmentId'], message: 'this segment is planned for this week already (edit that row)' }]);
		return { weekId };
	});
}

/** Change a row's targets and staffing (supervisors). */
export async function updatePlanWeek(actor: Actor, raw: unknown): Promise<{ version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(updateInput, raw);
	return change(actor, p.planId, p.version, `row ${p.weekId} changed`, async (tx, plan) => {
		const row = await q.weekById(tx, plan.id, p.weekId);
		if (!row) throw new DomainError('not_found', 'no such row in this plan');
		const problems = planWeekProblems({ ...p, weekStart: row.weekStart }, plan.fiscalYear).filter((x) => x.path[0] !== 'weekStart');
		if (problems.length) throw invalidInput(problems);
		await q.updateWeek(tx, plan.id, p.weekId, p);
		return {};
	});
}

/** Remove a row (supervisors). */
export async function removePlanWeek(actor: Actor, raw: unknown): Promise<{ version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(removeInput, raw);
	return change(actor, p.planId, p.version, `row ${p.weekId} removed`, async (tx, plan) => {
		if (!(await q.deleteWeek(tx, plan.id, p.weekId))) throw new DomainError('not_found', 'no such row in this plan');
		return {};
	});
}

/**
 * Copy a week's rows to another week (default: the next one), for segments not planned there yet (supervisors).
 */
export async function copyPlanWeek(actor: Actor, raw: unknown): Promise<{ copied: number; skipped: number; to: string; version: number }> {
	requirePermission(actor, 'plan.manage');
	const p = parse(copyInput, raw);
	return change(actor, p.planId, p.version, `week ${p.from} copied to ${p.to}`, async (tx, plan) => {
		if (!weekInFiscalYear(p.to, plan.fiscalYear)) throw invalidInput([{ path: ['to'], message: `not a week of fiscal year ${plan.fiscalYear}` }]);
		const r = await q.copyWeek(tx, plan.id, p.from, p.to);
		if (r.copied + r.skipped === 0) throw invalidInput([{ path: ['from'], message: 'this week has no rows to copy' }]);
		return { ...r, to: p.to };
	});
}
