/**
 * SQL of the call plan (migration 00026_call_plan): the plan of a fiscal year, its weeks × segments, and the actual
 * measures per Tokyo week × segment from the calls, counted with the shared fragments of reports/measures.ts (the
 * same definitions as the reports and the live charts) plus the statistics kept at erasure (stats_calls).
 */
import type { Db } from '../db.ts';
import { CALL_MEASURES_SQL, CALL_MEASURE_COLUMNS, CALL_ROWS_SQL } from '../reports/measures.ts';
import type { ActualRow, PlanRow } from '../../domain/call-plan.ts';

export interface PlanHead {
	id: number;
	fiscalYear: number;
	name: string;
	version: number;
	createdAt: Date;
	updatedAt: Date;
	updatedByName: string | null;
}

const head = `p.id, p.fiscal_year, p.title as name, p.version, p.created_at, p.updated_at, u.display_name as updated_by_name`;

export async function planOfYear(db: Db, fiscalYear: number): Promise<PlanHead | undefined> {
	const [r] = await db<PlanHead[]>`
		select ${db.unsafe(head)} from call_plans p left join users u on u.id = coalesce(p.updated_by, p.created_by)
		where p.fiscal_year = ${fiscalYear}`;
	return r;
}

/** The plan's row, locked until the transaction ends (every change of a plan takes this first). */
export async function lockPlan(db: Db, planId: number): Promise<{ id: number; fiscalYear: number; version: number } | undefined> {
	const [r] = await db<{ id: number; fiscalYear: number; version: number }[]>`select id, fiscal_year, version from call_plans where id = ${planId} for update`;
	return r;
}

/** A new plan for a fiscal year; undefined when the year has one already. */
export async function insertPlan(db: Db, p: { fiscalYear: number; name: string; by: number | null }): Promise<{ id: number; version: number } | undefined> {
	const [r] = await db<{ id: number; version: number }[]>`
		insert into call_plans (fiscal_year, title, created_by, updated_by) values (${p.fiscalYear}, ${p.name}, ${p.by}, ${p.by})
		on conflict (fiscal_year) do nothing returning id, version`;
	return r;
}

/** The plan changed: the next version (call with the plan locked and its version checked). */
export async function bumpPlan(db: Db, planId: number, by: number | null, name?: string): Promise<number> {
	const [r] = await db<{ version: number }[]>`
		update call_plans set version = version + 1, updated_at = now(), updated_by = ${by}, title = coalesce(${name ?? null}::text, title)
		where id = ${planId} returning version`;
	return r.version;
}

const weekCols = `id, week_start::text as week_start, segment_id, target_attempts, target_contacts, target_promises, staff_hours`;

export async function weeksOf(db: Db, planId: number): Promise<PlanRow[]> {
	return db<PlanRow[]>`select ${db.unsafe(weekCols)} from call_plan_weeks where plan_id = ${planId} order by week_start, segment_id`;
}

export async function weekById(db: Db, planId: number, weekId: number): Promise<PlanRow | undefined> {
	const [r] = await db<PlanRow[]>`select ${db.unsafe(weekCols)} from call_plan_weeks where plan_id = ${planId} and id = ${weekId}`;
	return r;
}

export interface WeekValues {
	targetAttempts: number;
	targetContacts: number;
	targetPromises: number;
	staffHours: number;
}

/** A plan row for a week and a segment; undefined when the cell exists already. */
export async function insertWeek(db: Db, planId: number, w: WeekValues & { weekStart: string; segmentId: number }): Promise<number | undefined> {
	const [r] = await db<{ id: number }[]>`
		insert into call_plan_weeks (plan_id, week_start, segment_id, target_attempts, target_contacts, target_promises, staff_hours)
		values (${planId}, ${w.weekStart}::date, ${w.segmentId}, ${w.targetAttempts}, ${w.targetContacts}, ${w.targetPromises}, ${w.staffHours})
		on conflict on constraint call_plan_weeks_cell do nothing returning id`;
	return r?.id;
}

export async function updateWeek(db: Db, planId: number, weekId: number, w: WeekValues): Promise<boolean> {
	const r = await db`
		update call_plan_weeks set target_attempts = ${w.targetAttempts}, target_contacts = ${w.targetContacts}, target_promises = ${w.targetPromises},
		  staff_hours = ${w.staffHours}, updated_at = now()
		where plan_id = ${planId} and id = ${weekId}`;
	return r.count === 1;
}

export async function deleteWeek(db: Db, planId: number, weekId: number): Promise<boolean> {
	const r = await db`delete from call_plan_weeks where plan_id = ${planId} and id = ${weekId}`;
	return r.count === 1;
}

/** Copy every row of week `from` to week `to`; segments planned in `to` already keep their rows. */
export async function copyWeek(db: Db, planId: number, from: string, to: string): Promise<{ copied: number; skipped: number }> {
	const [src] = await db<{ n: number }[]>`select count(*)::int as n from call_plan_weeks where plan_id = ${planId} and week_start = ${from}::date`;
	const r = await db`
		insert into call_plan_weeks (plan_id, week_start, segment_id, target_attempts, target_contacts, target_promises, staff_hours)
		select plan_id, ${to}::date, segment_id, target_attempts, target_contacts, target_promises, staff_hours
		from call_plan_weeks where plan_id = ${planId} and week_start = ${from}::date
		on conflict on constraint call_plan_weeks_cell do nothing`;
	return { copied: r.count, skipped: src.n - r.count };
}

export interface SegmentChoice {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	active: boolean;
}

/** Every segment in the queue's order (the plan's rows and the form's choices follow it). */
export async function segments(db: Db): Promise<SegmentChoice[]> {
	return db<SegmentChoice[]>`select id, code, name_ja, name_en, active from segments order by sort_order, id`;
}

export async function segmentExists(db: Db, segmentId: number): Promise<boolean> {
	const [r] = await db<{ n: number }[]>`select count(*)::int as n from segments where id = ${segmentId}`;
	return r.n === 1;
}

const kept = CALL_MEASURE_COLUMNS.join(', ');

/**
 * Actual measures per Tokyo week (Monday, `date_trunc('week')` of the Tokyo day a call was recorded) and segment
 * (the call's segment; 0 when none) for the weeks [fromWeek, toWeek] (Mondays): attempts = calls, contacts = distinct
 * households with a right-party call in the week and segment (本人接触), promises = calls with a promise outcome.
 * The statistics kept at erasure are per day: their attempts and promises add exactly; their right-party contacts
 * are distinct per day, so an erased household reached on two days of a week counts twice (docs/kpis.md).
 */
export async function actuals(db: Db, fromWeek: string, toWeek: string): Promise<ActualRow[]> {
	return db.unsafe(
		`select week::text as week_start, segment_id, sum(attempts)::int as attempts, sum(right_party_contacts)::int as contacts, sum(promises)::int as promises
		 from (
		   select date_trunc('week', day)::date as week, segment_id, ${CALL_MEASURES_SQL}
		   from (${CALL_ROWS_SQL('', `where c.recorded_at >= ($1::date::timestamp at time zone 'Asia/Tokyo') and c.recorded_at < (($2::date + 7)::timestamp at time zone 'Asia/Tokyo')`)}) x
		   group by 1, 2
		   union all
		   select date_trunc('week', period)::date, segment_id, ${kept} from stats_calls
		   where grain = 'day' and hour is null and segment_id is not null and operator_id is null and period >= $1::date and period < $2::date + 7
		 ) u
		 group by week, segment_id order by week, segment_id`,
		[fromWeek, toWeek]
	) as unknown as Promise<ActualRow[]>;
}
