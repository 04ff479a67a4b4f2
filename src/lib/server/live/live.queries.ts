/**
 * The live views' figures, read once per recompute by the engine (never per viewer): operators with their state
 * and today's calls, the queue per segment with why households are not callable, and today's calls by hour.
 */
import type { Db } from '../db.ts';
import { DONE_CLOSURES, WINDOW_WAITS, sortNotCallable, type CallMarkRow, type FloorOperator, type NotCallable, type QueueSegment } from '../../domain/live-floor.ts';
export { hourlyToday, totalsToday } from '../wall/wall.queries.ts';

/** Midnight today in Tokyo, as an instant. */
const tokyoDayStart = `(date_trunc('day', now() at time zone 'Asia/Tokyo') at time zone 'Asia/Tokyo')`;
/** Today's figures kept in stats_calls for households erased today (migration 00006_erasure). */
const keptToday = `grain = 'day' and period = (now() at time zone 'Asia/Tokyo')::date`;

export async function floorOperators(db: Db, presenceTimeoutSeconds: number): Promise<FloorOperator[]> {
	const rows = await db<(Omit<FloorOperator, 'since'> & { since: Date | null })[]>`
		with today as (
		  select c.operator_id, count(*)::int as calls, count(*) filter (where o.answered)::int as contacts
		  from calls c join outcome_codes o on o.code = c.outcome_code
		  where c.recorded_at >= ${db.unsafe(tokyoDayStart)}
		  group by c.operator_id
		), kept as (
		  select k.operator_id, sum(k.attempts)::int as calls, sum(k.answered_attempts)::int as contacts
		  from stats_calls k
		  where ${db.unsafe(keptToday)} and k.hour is null and k.segment_id is null and k.operator_id is not null
		  group by k.operator_id
		)
		select u.id, u.display_name,
		  case when coalesce(p.connected, false) = false or p.last_seen_at < now() - make_interval(secs => ${presenceTimeoutSeconds}) then 'offline'
		       when q.household_id is not null then 'on_household'
		       when os.state in ('wrap_up', 'break') then os.state
		       else 'available' end as state,
		  q.household_id, qs.code as segment_code,
		  case when q.household_id is not null and os.state = 'on_household' then os.since else coalesce(q.claimed_at, os.since) end as since,
		  case when os.state = 'break' then os.break_reason end as break_reason,
		  (coalesce(t.calls, 0) + coalesce(k.calls, 0))::int as calls_today,
		  (coalesce(t.contacts, 0) + coalesce(k.contacts, 0))::int as contacts_today,
		  coalesce((select array_agg(s.code order by s.sort_order, s.id) from operator_segments g join segments s on s.id = g.segment_id
		            where g.user_id = u.id), '{}') as segments
		from users u
		left join user_presence p on p.user_id = u.id
		left join call_queue q on q.claimed_by = u.id and q.state = 'claimed'
		left join segments qs on qs.id = q.segment_id
		left join operator_states os on os.user_id = u.id
		left join today t on t.operator_id = u.id
		left join kept k on k.operator_id = u.id
		where u.role = 'operator' and u.disabled_at is null
		order by u.display_name, u.id`;
	return rows.map((r) => ({ ...r, since: r.since ? r.since.toISOString() : null }));
}

export async function queueSegments(db: Db): Promise<QueueSegment[]> {
	const segs = await db<Omit<QueueSegment, 'callable' | 'windowWaiting' | 'suppressed' | 'notCallable'>[]>`
		select s.id, s.code, s.name_ja, s.name_en, s.active,
		  count(q.household_id) filter (where q.state = 'ready')::int as ready,
		  count(q.household_id) filter (where q.state = 'claimed')::int as claimed,
		  count(q.household_id) filter (where q.state = 'waiting')::int as waiting,
		  count(q.household_id) filter (where q.state = 'closed')::int as closed,
		  coalesce((select count(distinct c.household_id) from calls c
		            where c.segment_id = s.id and c.recorded_at >= ${db.unsafe(tokyoDayStart)}), 0)::int
		  + coalesce((select sum(k.households_attempted) from stats_calls k
		              where ${db.unsafe(keptToday)} and k.hour is null and k.segment_id = s.id and k.operator_id is null), 0)::int as done_today
		from segments s left join call_queue q on q.segment_id = s.id
		group by s.id order by s.active desc, s.sort_order, s.id`;
	const reasons = await db<{ segmentId: number; reason: string; count: number }[]>`
		select segment_id,
		  -- the same keys as live-floor.ts notCallableReason (which the queue's events carry)
		  case when state = 'waiting' then coalesce(wait_reason, 'retry') else 'closed:' || coalesce(closed_reason, 'manual') end as reason,
		  count(*)::int as count
		from call_queue
		where state = 'waiting' or (state = 'closed' and coalesce(closed_reason, 'manual') <> all(${DONE_CLOSURES as string[]}::text[]))
		group by 1, 2`;
	const bySeg = new Map<number, NotCallable[]>();
	for (const r of reasons) {
		const list = bySeg.get(r.segmentId) ?? [];
		list.push({ reason: r.reason, count: r.count });
		bySeg.set(r.segmentId, list);
	}
	return segs.map((s) => {
		const list = bySeg.get(s.id) ?? [];
		const windowWaiting = list.filter((r) => WINDOW_WAITS.includes(r.reason)).reduce((n, r) => n + r.count, 0);
		const suppressed = list.filter((r) => !WINDOW_WAITS.includes(r.reason)).reduce((n, r) => n + r.count, 0);
		// a paused segment's ready households are not callable either: that is the first reason
		if (!s.active && s.ready > 0) list.push({ reason: 'paused', count: s.ready });
		sortNotCallable(list);
		return { ...s, callable: s.active ? s.ready : 0, windowWaiting, suppressed, notCallable: list };
	});
}

/**
 * Today's calls as the live engine marks them (live-floor.ts CallMarks): one row per household, hour, segment and
 * answer (a day's calls: hundreds to a few thousand rows), so that each later call patches the distinct counts.
 */
export async function callMarkRows(db: Db): Promise<CallMarkRow[]> {
	return db<CallMarkRow[]>`
		select distinct c.household_id, extract(hour from c.recorded_at at time zone 'Asia/Tokyo')::int as hour, c.segment_id,
		  o.answered, o.right_party
		from calls c join outcome_codes o on o.code = c.outcome_code
		where c.recorded_at >= ${db.unsafe(tokyoDayStart)}`;
}

/** The Tokyo day of the transaction's clock (now()), as YYYY-MM-DD. */
export async function tokyoToday(db: Db): Promise<string> {
	const [r] = await db<{ day: string }[]>`select to_char(now() at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day`;
	return r.day;
}

/** The transaction's snapshot (its first statement under REPEATABLE READ: the one every later read uses), as text. */
export async function txSnapshot(db: Db): Promise<string> {
	const [r] = await db<{ snap: string }[]>`select pg_current_snapshot()::text as snap`;
	return r.snap;
}
