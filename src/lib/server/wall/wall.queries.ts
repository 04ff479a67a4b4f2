/** The numbers behind the wall display and the supervisor console (the same queries feed reports later). */
import type { Db } from '../db.ts';
import type { OperatorState } from '../../realtime/events.ts';

/** Midnight today in Tokyo, as an instant. */
const tokyoDayStart = `(date_trunc('day', now() at time zone 'Asia/Tokyo') at time zone 'Asia/Tokyo')`;
/** Today's figures kept in stats_calls for households erased today (migration 00006_erasure): added to the live ones. */
const keptToday = `grain = 'day' and period = (now() at time zone 'Asia/Tokyo')::date`;

export async function segmentCounts(db: Db) {
	return db<{ id: number; code: string; nameJa: string; nameEn: string; ready: number; claimed: number; waiting: number; closed: number; doneToday: number }[]>`
		select s.id, s.code, s.name_ja, s.name_en,
		  count(q.household_id) filter (where q.state = 'ready')::int as ready,
		  count(q.household_id) filter (where q.state = 'claimed')::int as claimed,
		  count(q.household_id) filter (where q.state = 'waiting')::int as waiting,
		  count(q.household_id) filter (where q.state = 'closed')::int as closed,
		  coalesce((select count(distinct c.household_id) from calls c
		            where c.segment_id = s.id and c.recorded_at >= ${db.unsafe(tokyoDayStart)}), 0)::int
		  + coalesce((select sum(k.households_attempted) from stats_calls k
		              where ${db.unsafe(keptToday)} and k.hour is null and k.segment_id = s.id and k.operator_id is null), 0)::int as done_today
		from segments s left join call_queue q on q.segment_id = s.id
		where s.active
		group by s.id order by s.sort_order, s.id`;
}

export interface OperatorRow {
	id: number;
	displayName: string;
	state: OperatorState;
	householdId: number | null;
	since: Date | null;
	/** with state break: its reason (breakReasons code, or 'other: note') */
	breakReason: string | null;
	callsToday: number;
	segments: string[];
}

export async function operators(db: Db, presenceTimeoutSeconds: number): Promise<OperatorRow[]> {
	return db<OperatorRow[]>`
		select u.id, u.display_name,
		  case when coalesce(p.connected, false) = false or p.last_seen_at < now() - make_interval(secs => ${presenceTimeoutSeconds}) then 'offline'
		       when q.household_id is not null then 'on_household'
		       when os.state in ('wrap_up', 'break') then os.state
		       else 'available' end as state,
		  q.household_id, coalesce(q.claimed_at, os.since) as since, case when os.state = 'break' then os.break_reason end as break_reason,
		  (select count(*) from calls c where c.operator_id = u.id and c.recorded_at >= ${db.unsafe(tokyoDayStart)})::int
		  + coalesce((select sum(k.attempts) from stats_calls k
		              where ${db.unsafe(keptToday)} and k.hour is null and k.segment_id is null and k.operator_id = u.id), 0)::int as calls_today,
		  coalesce((select array_agg(s.code order by s.sort_order) from operator_segments os join segments s on s.id = os.segment_id
		            where os.user_id = u.id), '{}') as segments
		from users u
		left join user_presence p on p.user_id = u.id
		left join call_queue q on q.claimed_by = u.id and q.state = 'claimed'
		left join operator_states os on os.user_id = u.id
		where u.role = 'operator' and u.disabled_at is null
		order by u.display_name, u.id`;
}

export interface HourRow {
	hour: number;
	attempts: number;
	answeredAttempts: number;
	householdsAttempted: number;
	householdsContacted: number;
	rightPartyContacts: number;
	promises: number;
}

const countsSql = `
	count(*)::int as attempts,
	count(*) filter (where o.answered)::int as answered_attempts,
	count(distinct c.household_id)::int as households_attempted,
	count(distinct c.household_id) filter (where o.answered)::int as households_contacted,
	count(distinct c.household_id) filter (where o.right_party)::int as right_party_contacts,
	count(*) filter (where o.kind = 'promise')::int as promises`;

/** Sums live rows with the kept ones (erased households' calls of today); distinct households add up (disjoint). */
const summedCounts = `
	sum(attempts)::int as attempts, sum(answered_attempts)::int as answered_attempts, sum(households_attempted)::int as households_attempted,
	sum(households_contacted)::int as households_contacted, sum(right_party_contacts)::int as right_party_contacts, sum(promises)::int as promises`;
const keptCounts = 'attempts, answered_attempts, households_attempted, households_contacted, right_party_contacts, promises';

export async function hourlyToday(db: Db): Promise<HourRow[]> {
	return db<HourRow[]>`
		select hour, ${db.unsafe(summedCounts)} from (
		  select extract(hour from c.recorded_at at time zone 'Asia/Tokyo')::int as hour, ${db.unsafe(countsSql)}
		  from calls c join outcome_codes o on o.code = c.outcome_code
		  where c.recorded_at >= ${db.unsafe(tokyoDayStart)}
		  group by 1
		  union all
		  select hour, ${db.unsafe(keptCounts)} from stats_calls
		  where ${db.unsafe(keptToday)} and hour is not null and segment_id is null and operator_id is null
		) u group by hour order by hour`;
}

export async function totalsToday(db: Db): Promise<Omit<HourRow, 'hour'>> {
	const [r] = await db<Omit<HourRow, 'hour'>[]>`
		select ${db.unsafe(summedCounts)} from (
		  select ${db.unsafe(countsSql)}
		  from calls c join outcome_codes o on o.code = c.outcome_code
		  where c.recorded_at >= ${db.unsafe(tokyoDayStart)}
		  union all
		  select ${db.unsafe(keptCounts)} from stats_calls
		  where ${db.unsafe(keptToday)} and hour is null and segment_id is null and operator_id is null
		) u`;
	return r;
}
