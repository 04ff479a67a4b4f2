/** SQL of operator_states (what each operator is doing now) and operator_state_changes (every change). */
import type { Db } from '../db.ts';
import type { OperatorState } from '../../realtime/events.ts';

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

/** Set the state (a new `since` only when it changed) and record the change. */
export async function writeState(db: Db, userId: number, state: OperatorState, breakReason: string | null): Promise<StateRow> {
	const [r] = await db<StateRow[]>`
		insert into operator_states (user_id, state, break_reason, since) values (${userId}, ${state}, ${breakReason}, now())
		on conflict (user_id) do update set state = excluded.state, break_reason = excluded.break_reason, since = now(),
		  version = operator_states.version + 1
		returning user_id, state, break_reason, since, version`;
	await db`insert into operator_state_changes (user_id, state, break_reason, at) values (${userId}, ${state}, ${breakReason}, ${r.since})`;
	return r;
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
