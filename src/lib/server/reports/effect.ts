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
import { invalidInput } from '../errors.ts';
import { isoDate } from '../validation.ts';
import { tokyoDate } from '../../domain/format.ts';
import { compareArms, type ArmCounts, type Comparison } from '../../domain/holdout.ts';

const input = z
	.object({
		from: isoDate.optional(),
		to: isoDate.optional(),
		segment: z.coerce.number({ error: 'a segment id' }).int('a segment id').positive('a segment id').optional()
	})
	.refine((r) => !r.from || !r.to || r.from <= r.to, { path: ['to'], message: 'on or after from' });

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
	const parsed = input.safeParse({ from: raw.from || undefined, to: raw.to || undefined, segment: raw.segment || undefined });
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const today = tokyoDate(now);
	const from = parsed.data.from ?? null;
	const to = parsed.data.to ?? (from && from > today ? from : today);
	const segment = parsed.data.segment ?? null;
	const sql = db();
	const [segments, rows] = await Promise.all([
		sql<{ id: number; code: string; nameJa: string; nameEn: string; share: number; startedOn: string }[]>`
			select s.id, s.code, s.name_ja, s.name_en, s.holdout_share::float8 as share,
			  coalesce((s.holdout_started_at at time zone 'Asia/Tokyo')::date,
			    (select min((a.assigned_at at time zone 'Asia/Tokyo')::date) from holdout_assignments a where a.segment_id = s.id))::text as started_on
			from segments s
			where s.holdout_started_at is not null or exists (select 1 from holdout_assignments a where a.segment_id = s.id)
			order by s.sort_order, s.id`,
		armCounts(sql, { from, to, segment })
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
			.map((s) => ({
				segmentId: s.id,
				code: s.code,
				nameJa: s.nameJa,
				nameEn: s.nameEn,
				share: Number(s.share),
				startedOn: s.startedOn ?? today,
				from: from ?? s.startedOn ?? today,
				to,
				...compareArms(arm(s.id, false), arm(s.id, true))
			})),
		choices: segments.map((s) => ({ id: s.id, code: s.code, nameJa: s.nameJa, nameEn: s.nameEn })),
		generatedAt: now.toISOString()
	};
}
