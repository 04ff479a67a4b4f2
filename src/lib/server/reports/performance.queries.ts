/** SQL of the operators' performance view (supervisors): calls per operator and their state changes in a range. */
import type { Db } from '../db.ts';
import type { OperatorCounts, StateChange } from '../../domain/performance.ts';

export interface OperatorRow {
	operatorId: number;
	displayName: string;
	loginId: string;
}

/** Enabled operators, and any operator with calls in the range (disabled since). */
export async function operators(db: Db, from: Date, to: Date): Promise<OperatorRow[]> {
	return db<OperatorRow[]>`
		select u.id as operator_id, u.display_name, u.login_id from users u
		where u.role = 'operator' and (u.disabled_at is null or exists (select 1 from calls c where c.operator_id = u.id and c.recorded_at >= ${from} and c.recorded_at < ${to}))
		order by u.display_name, u.id`;
}

/** Per operator: the measures of docs/kpis.md over the live calls recorded in [from, to), and talk time. */
export async function callCounts(db: Db, from: Date, to: Date): Promise<(OperatorCounts & { operatorId: number })[]> {
	return db<(OperatorCounts & { operatorId: number })[]>`
		select c.operator_id,
		  count(*)::int as attempts,
		  count(*) filter (where o.answered)::int as answered_attempts,
		  count(distinct c.household_id)::int as households_attempted,
		  count(distinct c.household_id) filter (where o.answered)::int as households_contacted,
		  count(distinct c.household_id) filter (where o.right_party)::int as right_party_contacts,
		  count(*) filter (where o.kind = 'promise')::int as promises,
		  coalesce(sum((select sum(p.amount) from promises p where p.call_id = c.id)), 0)::bigint as promised_amount,
		  count(*) filter (where c.direction = 'inbound')::int as inbound,
		  count(*) filter (where o.kind = 'handoff')::int as handoffs,
		  coalesce(sum(extract(epoch from c.ended_at - c.started_at)) filter (where c.ended_at > c.started_at), 0)::float8 as talk_seconds,
		  count(*) filter (where c.ended_at > c.started_at)::int as talk_calls
		from calls c join outcome_codes o on o.code = c.outcome_code
		where c.recorded_at >= ${from} and c.recorded_at < ${to}
		group by c.operator_id`;
}

/** Per operator: the state in force at `from` and every change in [from, to), in time order. */
export async function stateChanges(db: Db, from: Date, to: Date): Promise<(StateChange & { userId: number })[]> {
	return db<(StateChange & { userId: number })[]>`
		select user_id, state, at from (
		  select distinct on (user_id) user_id, state, at from operator_state_changes where at < ${from} order by user_id, at desc
		) before
		union all
		select user_id, state, at from operator_state_changes where at >= ${from} and at < ${to}
		order by user_id, at`;
}
