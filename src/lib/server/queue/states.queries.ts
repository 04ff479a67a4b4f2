/** SQL of operator_states (what each operator is doing now) and operator_state_changes (every change). */
import type { Db } from '../db.ts';
import type { OperatorState } from '../../realtime/events.ts';
import { eventsChannel } from '../publish.ts';

export interface StateRow {
	userId: number;
	state: OperatorState;
	breakReason: string | null;
	since: Date;
	version: number;
}

export async function stateOf(db: Db, userId: number, opts: { forUpdate?: boolean } = {}): Promise<StateRow | undefined> {
	const [r] = opts.forUpdate
		? await db<StateRow[]>`select user_id, state, break_reason, since, version from operator_states where user_id = ${userId} for update`
		: await db<StateRow[]>`select user_id, state, break_reason, since, version from operator_states where user_id = ${userId}`;
	return r;
}

export interface StateChange {
	state: OperatorState;
	breakReason: string | null;
	since: Date;
	/** false when the state (and break reason) was what it was already: nothing written, nothing published */
	changed: boolean;
}

/**
 * Set an operator's state in ONE statement (the claim and the outcome are on the queue's hot path, where the round
 * trips are most of the time): lock the current row, and only when the state or break reason differs write it
 * (a new `since`), record the change and publish `operator:state` (the same event publish.ts sends, with the
 * transaction id; delivered on commit). `householdId` undefined with 'on_household' = the household the operator
 * holds now.
 */
export async function changeState(
	db: Db,
	userId: number,
	state: OperatorState,
	breakReason: string | null,
	householdId: number | null | undefined
): Promise<StateChange> {
	const lookupHeld = householdId === undefined && state === 'on_household';
	const [r] = await db<{ oldState: OperatorState | null; oldBreakReason: string | null; oldSince: Date | null; newSince: Date | null; notified: number }[]>`
		with cur as materialized (
			select state, break_reason, since from operator_states where user_id = ${userId} for update
		),
		up as (
			insert into operator_states (user_id, state, break_reason, since)
			select ${userId}, ${state}, ${breakReason}, now()
			where not exists (select 1 from cur where cur.state = ${state} and cur.break_reason is not distinct from ${breakReason}::text)
			on conflict (user_id) do update set state = excluded.state, break_reason = excluded.break_reason, since = now(),
			  version = operator_states.version + 1
			returning since
		),
		ch as (
			insert into operator_state_changes (user_id, state, break_reason, at) select ${userId}, ${state}, ${breakReason}, up.since from up
		),
		n as materialized (
			select pg_notify(${eventsChannel()}, json_build_object(
			  'type', 'operator:state',
			  'data', json_build_object(
			    'operatorId', ${userId}::bigint, 'state', ${state}::text,
			    'householdId', ${lookupHeld ? db`(select household_id from call_queue where state = 'claimed' and claimed_by = ${userId})` : db`${householdId ?? null}::bigint`},
			    'at', to_char(up.since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
			    'since', to_char(up.since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
			    'breakReason', ${breakReason}::text,
			    'segmentId', ${state === 'on_household' ? db`(select segment_id from call_queue where state = 'claimed' and claimed_by = ${userId})` : db`null::bigint`}),
			  'xid', pg_current_xact_id()::text)::text) as sent
			from up
		)
		select (select state from cur) as old_state, (select break_reason from cur) as old_break_reason, (select since from cur) as old_since,
		  (select since from up) as new_since, (select count(*) from n)::int as notified`;
	if (r.newSince) return { state, breakReason, since: r.newSince, changed: true };
	return { state: r.oldState ?? state, breakReason: r.oldBreakReason, since: r.oldSince ?? new Date(), changed: false };
}

/** The household an operator holds now, if any. */
export async function heldHousehold(db: Db, userId: number): Promise<number | null> {
	const [r] = await db<{ householdId: number }[]>`select household_id from call_queue where state = 'claimed' and claimed_by = ${userId}`;
	return r?.householdId ?? null;
}

export async function roleOf(db: Db, userId: number): Promise<string | null> {
	const [r] = await db<{ role: string }[]>`select role from users where id = ${userId}`;
	return r?.role ?? null;
}

/** A live session of this user works an open training run (issue #9). */
export async function inTrainingRun(db: Db, userId: number): Promise<boolean> {
	const [r] = await db`
		select 1 from sessions s join training_runs r on r.id = s.training_run_id
		where s.user_id = ${userId} and r.ended_at is null and s.expires_at > now() limit 1`;
	return !!r;
}
