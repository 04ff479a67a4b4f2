/** SQL of the callbacks and do_not_call tables (migration 00012). */
import type { Db } from '../db.ts';

export interface CallbackRow {
	id: number;
	householdId: number;
	dueAt: Date;
	onlyMe: boolean;
	operatorId: number;
	note: string | null;
	status: 'open' | 'done' | 'cancelled';
	callId: number | null;
	createdAt: Date;
}

const cbCols = 'id, household_id, due_at, only_me, operator_id, note, status, call_id, created_at';

/** The household's open callback (at most one: callbacks_one_open_idx), locked. */
export async function openCallbackForUpdate(db: Db, householdId: number): Promise<CallbackRow | undefined> {
	const [r] = await db<CallbackRow[]>`select ${db.unsafe(cbCols)} from callbacks where household_id = ${householdId} and status = 'open' for update`;
	return r;
}

export async function callbackForUpdate(db: Db, id: number): Promise<CallbackRow | undefined> {
	const [r] = await db<CallbackRow[]>`select ${db.unsafe(cbCols)} from callbacks where id = ${id} for update`;
	return r;
}

export async function insertCallback(
	db: Db,
	c: { householdId: number; dueAt: Date; onlyMe: boolean; operatorId: number; note: string | null; callId: number | null }
): Promise<CallbackRow> {
	const [r] = await db<CallbackRow[]>`
		insert into callbacks (household_id, due_at, only_me, operator_id, note, call_id)
		values (${c.householdId}, ${c.dueAt}, ${c.onlyMe}, ${c.operatorId}, ${c.note}, ${c.callId})
		returning ${db.unsafe(cbCols)}`;
	return r;
}

/** Close an open callback: done (a call honoured it) or cancelled (replaced, no longer wanted). */
export async function closeCallback(db: Db, id: number, status: 'done' | 'cancelled', by: number, doneCallId: number | null = null): Promise<void> {
	await db`
		update callbacks set status = ${status}, closed_at = now(), closed_by = ${by}, done_call_id = ${doneCallId}
		where id = ${id} and status = 'open'`;
}

/**
 * Open callbacks, soonest first: of one operator (those they scheduled) or of everyone; only overdue ones
 * (due more than `graceMinutes` ago and still open) when asked.
 */
export async function openCallbacks(db: Db, opts: { operatorId?: number | null; overdueGraceMinutes?: number | null; limit?: number }) {
	return db<(CallbackRow & { nhiNumber: string; operatorName: string })[]>`
		select c.id, c.household_id, c.due_at, c.only_me, c.operator_id, c.note, c.status, c.call_id, c.created_at,
		  h.nhi_number, u.display_name as operator_name
		from callbacks c join households h on h.id = c.household_id join users u on u.id = c.operator_id
		where c.status = 'open'
		  ${opts.operatorId ? db`and c.operator_id = ${opts.operatorId}` : db``}
		  ${opts.overdueGraceMinutes != null ? db`and c.due_at < now() - make_interval(mins => ${opts.overdueGraceMinutes})` : db``}
		order by c.due_at, c.id
		limit ${opts.limit ?? 200}`;
}

export interface DoNotCallRow {
	id: number;
	householdId: number;
	reason: string;
	until: string | null;
	createdBy: number;
	createdAt: Date;
}

/** The household's active do-not-call instruction (do_not_call_active_idx: at most one), locked. */
export async function activeDoNotCallForUpdate(db: Db, householdId: number): Promise<DoNotCallRow | undefined> {
	const [r] = await db<DoNotCallRow[]>`
		select id, household_id, reason, until::text as until, created_by, created_at
		from do_not_call where household_id = ${householdId} and lifted_at is null for update`;
	return r;
}

export async function insertDoNotCall(
	db: Db,
	d: { householdId: number; reason: string; until: string | null; callId: number | null; createdBy: number }
): Promise<{ id: number }> {
	const [r] = await db<{ id: number }[]>`
		insert into do_not_call (household_id, reason, until, call_id, created_by)
		values (${d.householdId}, ${d.reason}, ${d.until}, ${d.callId}, ${d.createdBy}) returning id`;
	return r;
}

export async function liftDoNotCall(db: Db, id: number, by: number): Promise<void> {
	await db`update do_not_call set lifted_at = now(), lifted_by = ${by} where id = ${id} and lifted_at is null`;
}
