/**
 * The supervisor console's live charts (issue #6): two statements per tick, whatever the number of viewers (the live
 * engine runs this once per recompute). Definitions: docs/kpis.md; builders: src/lib/domain/floor-charts.ts.
 *
 * 1. Calls of today and of the same weekday last week, per hour and per whole day (grouping sets), with the
 *    figures kept in stats_calls for households erased on those days added (erasures remove disjoint sets of
 *    households, so counts of distinct households add up within an hour and within a day). The measures are the
 *    reports' own SQL (reports/measures.ts), so a figure here and the same figure in the manager's report agree.
 * 2. The per-segment funnel of the households in each active segment's queue now.
 *
 * Aggregates only: no household id, name or number leaves this file.
 */
import type { Db } from '../db.ts';
import { CALL_MEASURES_SQL, CALL_ROWS_SQL } from '../reports/measures.ts';
import { tokyoDate } from '../../domain/format.ts';
import { addDays, buildFloorCharts, DIALABLE_WAIT_REASONS, type CountRow, type FloorCharts, type FunnelCountRow } from '../../domain/floor-charts.ts';

/** Midnight (Tokyo) of the ISO date in parameter `$n`, as an instant. */
const dayStart = (n: number) => `($${n}::date::timestamp at time zone 'Asia/Tokyo')`;
const dayEnd = (n: number) => `(($${n}::date + 1)::timestamp at time zone 'Asia/Tokyo')`;

/** The columns of CALL_MEASURES_SQL / stats_calls the charts use. */
const MEASURES = ['attempts', 'answered_attempts', 'households_attempted', 'households_contacted', 'right_party_contacts', 'promises', 'promised_amount'];

/** Calls by hour and by day for $1 (today) and $2 (seven days before), live plus kept. */
export async function chartCounts(db: Db, day: string): Promise<CountRow[]> {
	const lastWeek = addDays(day, -7);
	const rows = CALL_ROWS_SQL(
		'',
		`where (c.recorded_at >= ${dayStart(1)} and c.recorded_at < ${dayEnd(1)}) or (c.recorded_at >= ${dayStart(2)} and c.recorded_at < ${dayEnd(2)})`
	);
	return db.unsafe(
		`select case when day = $1::date then 'today' else 'lastWeek' end as day, hour, ${MEASURES.join(', ')}
		 from (
		   select day, hour, ${MEASURES.join(', ')} from (
		     select day, hour::int as hour, ${CALL_MEASURES_SQL}
		     from (${rows}) x
		     group by grouping sets ((day, hour), (day))
		   ) g
		   union all
		   select period as day, hour::int, ${MEASURES.join(', ')} from stats_calls
		   where grain = 'day' and period in ($1::date, $2::date) and segment_id is null and operator_id is null
		 ) u`,
		[day, lastWeek]
	) as unknown as Promise<CountRow[]>;
}

/**
 * Per active segment, the households in its queue now and, of them: dialable (callable now, or waiting only for
 * pacing, a window or a callback's time, or called today), attempted today, contacted today (an answered call),
 * promised today (a promise outcome), paid (attempted today, with a payment dated on or after the day of the
 * household's first call ever).
 */
export async function funnelCounts(db: Db, day: string): Promise<FunnelCountRow[]> {
	return db.unsafe(
		`with today as (
		   select c.household_id, bool_or(o.answered) as contacted, bool_or(o.kind = 'promise') as promised
		   from calls c join outcome_codes o on o.code = c.outcome_code
		   where c.recorded_at >= ${dayStart(1)} and c.recorded_at < ${dayEnd(1)}
		   group by c.household_id
		 ), worked as (
		   select t.household_id, t.contacted, t.promised,
		     exists (
		       select 1 from payments p
		       where p.household_id = t.household_id
		         and coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) >= (
		           select (min(f.recorded_at) at time zone 'Asia/Tokyo')::date from calls f where f.household_id = t.household_id)
		     ) as paid
		   from today t
		 )
		 select s.id as segment_id, s.code, s.name_ja, s.name_en,
		   count(q.household_id)::int as households,
		   count(q.household_id) filter (
		     where w.household_id is not null or q.state in ('ready', 'claimed')
		       or (q.state = 'waiting' and (q.wait_reason is null or q.wait_reason = any($2::text[])))
		   )::int as dialable,
		   count(w.household_id)::int as attempted,
		   count(w.household_id) filter (where w.contacted)::int as contacted,
		   count(w.household_id) filter (where w.promised)::int as promised,
		   count(w.household_id) filter (where w.paid)::int as paid
		 from segments s
		 left join call_queue q on q.segment_id = s.id
		 left join worked w on w.household_id = q.household_id
		 where s.active
		 group by s.id
		 order by s.sort_order, s.id`,
		[day, DIALABLE_WAIT_REASONS as string[]]
	) as unknown as Promise<FunnelCountRow[]>;
}

/** The charts of the floor snapshot, for `now` (Tokyo calendar day). */
export async function floorCharts(db: Db, now: Date = new Date()): Promise<FloorCharts> {
	const day = tokyoDate(now);
	const [counts, funnel] = await Promise.all([chartCounts(db, day), funnelCounts(db, day)]);
	return buildFloorCharts({ day, counts, funnel });
}
