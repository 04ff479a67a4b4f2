/**
 * Does calling work? (issue #8): per segment with a randomized holdout, the payments of its called and held-out
 * households over a window, compared with 95% confidence intervals (src/lib/domain/holdout.ts; docs/kpis.md, "The
 * holdout"). Aggregates only (no household is identified): not in the access log. Policy: reports.view (managers,
 * supervisors).
 *
 * Counting, per arm (holdout_assignments of the segment, whatever segment the household is in now: intention to
 * treat):
 * - households: assigned on or before the window's last day (Tokyo day of assigned_at);
 * - a household's payments: those dated (paid_on; the Tokyo day recorded when the ward gave none, as the reports'
 *   paymentTotals) from the later of the window's first day and its own assignment day, to the window's last day;
 * - payer: a household with at least one payment of more than ¥0 among those; amount: their sum (net: refunds and
 *   corrections subtract), ¥0 for a household without payments (it counts in the mean).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { fieldProblems } from '../errors.ts';
import { tokyoDate } from '../../domain/format.ts';
import { dateRangeProblems } from '../../domain/date-range.ts';
import { problem } from '../../domain/field-problem.ts';
import { compareArms, windowState, type ArmCounts, type Comparison, type WindowState } from '../../domain/holdout.ts';

const segmentId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export interface SegmentEffect extends Comparison {
	segmentId: number;
	code: string;
	nameJa: string;
	nameEn: string;
	/** the share held out of newly seen households now (0–0.5) */
	share: number;
	/** the Tokyo day the holdout started (a share above 0 was first set), or the first assignment's day */
	startedOn: string;
	/** the window's first day for this segment (the chosen `from`, else startedOn) */
	from: string;
	/** the window's last day (inclusive) */
	to: string;
	/**
	 * not_started: the window begins after today, nothing is counted (the page says so instead of statistics);
	 * running: counted up to today (`countedTo`); complete: the whole window.
	 */
	state: WindowState;
	/** the last day counted: `to`, or today while the window is running */
	countedTo: string;
}

export interface EffectReport {
	/** the chosen window (null: per segment, since its holdout started) */
	from: string | null;
	to: string;
	segment: number | null;
	segments: SegmentEffect[];
	/** every segment with a holdout (the page's choice) */
	choices: { id: number; code: string; nameJa: string; nameEn: string }[];
	generatedAt: string;
}

interface ArmRow {
	segmentId: number;
	heldOut: boolean;
	households: number;
	payers: number;
	amount: number;
	variance: number | null;
}

/** Per segment with assignments and per arm: households, payers, net yen and the sample variance of yen per household. */
export async function armCounts(sql: Db, o: { from: string | null; to: string; segment: number | null }): Promise<ArmRow[]> {
	return sql<ArmRow[]>`
		with arms as (
		  select a.segment_id, a.household_id, a.held_out,
		    greatest(coalesce(${o.from}::date, '-infinity'::date), (a.assigned_at at time zone 'Asia/Tokyo')::date) as since
		  from holdout_assignments a
		  where (a.assigned_at at time zone 'Asia/Tokyo')::date <= ${o.to}::date
		    ${o.segment !== null ? sql`and a.segment_id = ${o.segment}` : sql``}
		), per_household as (
		  select x.segment_id, x.held_out, x.household_id,
		    coalesce(sum(p.amount), 0)::numeric as amount, coalesce(bool_or(p.amount > 0), false) as paid
		  from arms x
		  left join payments p on p.household_id = x.household_id
		    and coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) between x.since and ${o.to}::date
		  group by x.segment_id, x.held_out, x.household_id
		)
		select segment_id, held_out, count(*)::int as households, count(*) filter (where paid)::int as payers,
		  sum(amount)::bigint as amount, var_samp(amount)::float8 as variance
		from per_household group by segment_id, held_out order by segment_id, held_out`;
}

/** The comparison per segment with a holdout, for a window (default: each since its holdout started, to today). */
export async function effectReport(actor: Actor, raw: { from?: unknown; to?: unknown; segment?: unknown } = {}, now = new Date()): Promise<EffectReport> {
	requirePermission(actor, 'reports.view');
	// each field's problem as a stable code (src/lib/domain/date-range.ts), worded by the page in the user's language
	const problems = dateRangeProblems({ from: raw.from ?? undefined, to: raw.to ?? undefined }, { required: false });
	const seg = raw.segment === undefined || raw.segment === null || raw.segment === '' ? null : segmentId.safeParse(raw.segment);
	if (seg && !seg.success) problems.segment = problem('invalid', 'a segment id');
	if (Object.keys(problems).length) throw fieldProblems(problems);
	const today = tokyoDate(now);
	const given = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
	const from = given(raw.from);
	const to = given(raw.to) ?? (from && from > today ? from : today);
	const segment = seg?.success ? seg.data : null;
	// a window still running is counted up to today: payments of days to come are not known yet
	const countTo = to > today ? today : to;
	const sql = db();
	const [segments, rows] = await Promise.all([
		sql<{ id: number; code: string; nameJa: string; nameEn: string; share: number; startedOn: string }[]>`
			select s.id, s.code, s.name_ja, s.name_en, s.holdout_share::float8 as share,
			  coalesce((s.holdout_started_at at time zone 'Asia/Tokyo')::date,
			    (select min((a.assigned_at at time zone 'Asia/Tokyo')::date) from holdout_assignments a where a.segment_id = s.id))::text as started_on
			from segments s
			where s.holdout_started_at is not null or exists (select 1 from holdout_assignments a where a.segment_id = s.id)
			order by s.sort_order, s.id`,
		armCounts(sql, { from, to: countTo, segment })
	]);
	const zero: ArmCounts = { households: 0, payers: 0, amount: 0, variance: null };
	const arm = (segmentId: number, heldOut: boolean): ArmCounts => {
		const r = rows.find((x) => x.segmentId === segmentId && x.heldOut === heldOut);
		return r ? { households: r.households, payers: r.payers, amount: Number(r.amount), variance: r.variance === null ? null : Number(r.variance) } : zero;
	};
	return {
		from,
		to,
		segment,
		segments: segments
			.filter((s) => segment === null || s.id === segment)
			.map((s) => {
				const segFrom = from ?? s.startedOn ?? today;
				const state = windowState(segFrom, to, today);
				return {
					segmentId: s.id,
					code: s.code,
					nameJa: s.nameJa,
					nameEn: s.nameEn,
					share: Number(s.share),
					startedOn: s.startedOn ?? today,
					from: segFrom,
					to,
					state,
					countedTo: state === 'complete' ? to : today,
					// nothing to compare before the window begins
					...(state === 'not_started' ? compareArms(zero, zero) : compareArms(arm(s.id, false), arm(s.id, true)))
				};
			}),
		choices: segments.map((s) => ({ id: s.id, code: s.code, nameJa: s.nameJa, nameEn: s.nameEn })),
		generatedAt: now.toISOString()
	};
}

/** The segments with a holdout, for the page's choice when its filter was refused (nothing is counted). */
export async function effectChoices(actor: Actor): Promise<EffectReport['choices']> {
	requirePermission(actor, 'reports.view');
	return db()<EffectReport['choices']>`
		select s.id, s.code, s.name_ja, s.name_en from segments s
		where s.holdout_started_at is not null or exists (select 1 from holdout_assignments a where a.segment_id = s.id)
		order by s.sort_order, s.id`;
}
