/** Today's calls by hour and in total (the live views: src/lib/server/live/live.queries.ts). */
import type { Db } from '../db.ts';

/** Midnight today in Tokyo, as an instant. */
const tokyoDayStart = `(date_trunc('day', now() at time zone 'Asia/Tokyo') at time zone 'Asia/Tokyo')`;
/** Today's figures kept in stats_calls for households erased today (migration 00006_erasure): added to the live ones. */
const keptToday = `grain = 'day' and period = (now() at time zone 'Asia/Tokyo')::date`;

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
