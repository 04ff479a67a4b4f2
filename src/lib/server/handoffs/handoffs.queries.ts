/**
 * SQL of the handoffs, handoff_events and handoff_sla tables (migration 00017). Scope: a staff member works the
 * handoffs in the pool (unassigned) and those assigned to them (access-scope.ts, `handedOff`); every read for a
 * person takes their user id and applies it in the `where`.
 */
import type { Db } from '../db.ts';
import type { HandoffReason, HandoffState, ListSort, AssigneeFilter, StateFilter } from '../../domain/handoffs.ts';

export interface HandoffRow {
	id: number;
	householdId: number;
	callId: number | null;
	reason: HandoffReason;
	status: HandoffState;
	note: string | null;
	createdAt: Date;
	createdBy: number;
	createdByName: string;
	assignedTo: number | null;
	assignedToName: string | null;
	assignedAt: Date | null;
	callbackFrom: Date | null;
	callbackUntil: Date | null;
	dueAt: Date | null;
	firstContactAt: Date | null;
	resolutionCode: string | null;
	resolutionText: string | null;
	instruction: string | null;
	/** a returned handoff's "call again, but not before" day ('YYYY-MM-DD'), null when none */
	recallNotBefore: string | null;
	closedAt: Date | null;
	closedByName: string | null;
	version: number;
}

const columns = (db: Db) => db`
	ho.id, ho.household_id, ho.call_id, ho.reason, ho.status, ho.note, ho.created_at, ho.created_by, cu.display_name as created_by_name,
	ho.assigned_to, au.display_name as assigned_to_name, ho.assigned_at, ho.callback_from, ho.callback_until, ho.due_at,
	ho.first_contact_at, ho.resolution_code, ho.resolution_text, ho.instruction,
	(select to_char(hi.not_before, 'YYYY-MM-DD') from handoff_instructions hi where hi.handoff_id = ho.id) as recall_not_before, ho.closed_at, xu.display_name as closed_by_name, ho.version`;
const joins = (db: Db) => db`
	join users cu on cu.id = ho.created_by
	left join users au on au.id = ho.assigned_to
	left join users xu on xu.id = ho.closed_by`;
/** the `handedOff` scope: the pool, or assigned to this user */
const inScope = (db: Db, userId: number) => db`(ho.assigned_to is null or ho.assigned_to = ${userId})`;

export async function slaDays(db: Db): Promise<Record<HandoffReason, number>> {
	const rows = await db<{ reason: HandoffReason; workingDays: number }[]>`select reason, working_days from handoff_sla`;
	return Object.fromEntries(rows.map((r) => [r.reason, r.workingDays])) as Record<HandoffReason, number>;
}

export async function slaTargets(db: Db) {
	return db<{ reason: HandoffReason; workingDays: number; version: number; updatedAt: Date; updatedBy: string | null }[]>`
		select s.reason, s.working_days, s.version, s.updated_at, u.display_name as updated_by
		from handoff_sla s left join users u on u.id = s.updated_by order by s.reason`;
}

/** Set one reason's target if its version is still `version`; returns false when someone saved it meanwhile. */
export async function saveSla(db: Db, reason: HandoffReason, workingDays: number, version: number, by: number): Promise<boolean> {
	const r = await db`
		update handoff_sla set working_days = ${workingDays}, version = version + 1, updated_by = ${by}, updated_at = now()
		where reason = ${reason} and version = ${version}`;
	return r.count === 1;
}

/** Open handoffs of a reason (for recomputing their due time after the target changed). */
export async function openOfReason(db: Db, reason: HandoffReason) {
	return db<{ id: number; createdAt: Date }[]>`select id, created_at from handoffs where reason = ${reason} and status in ('new', 'in_progress')`;
}

export async function setDueAt(db: Db, rows: { id: number; dueAt: Date }[]): Promise<void> {
	if (rows.length === 0) return;
	await db`
		update handoffs h set due_at = v.due_at
		from (select unnest(${rows.map((r) => r.id)}::bigint[]) as id, unnest(${rows.map((r) => r.dueAt.toISOString())}::timestamptz[]) as due_at) v
		where h.id = v.id`;
}

export async function insertHandoff(
	db: Db,
	h: { householdId: number; callId: number; reason: HandoffReason; note: string | null; createdBy: number; callbackFrom: Date | null; callbackUntil: Date | null; dueAt: Date }
) {
	const [row] = await db<{ id: number; createdAt: Date }[]>`
		insert into handoffs (household_id, call_id, reason, note, created_by, callback_from, callback_until, due_at)
		values (${h.householdId}, ${h.callId}, ${h.reason}, ${h.note}, ${h.createdBy}, ${h.callbackFrom}, ${h.callbackUntil}, ${h.dueAt})
		returning id, created_at`;
	await insertEvent(db, { handoffId: row.id, userId: h.createdBy, kind: 'created', fromStatus: null, toStatus: 'new', assignedTo: null, note: null });
	return row;
}

export async function insertEvent(
	db: Db,
	e: { handoffId: number; userId: number; kind: string; fromStatus: HandoffState | null; toStatus: HandoffState | null; assignedTo: number | null; note: string | null }
): Promise<void> {
	await db`
		insert into handoff_events (handoff_id, user_id, kind, from_status, to_status, assigned_to, note)
		values (${e.handoffId}, ${e.userId > 0 ? e.userId : null}, ${e.kind}, ${e.fromStatus}, ${e.toStatus}, ${e.assignedTo}, ${e.note})`;
}

export interface ListFilter {
	userId: number;
	state: StateFilter;
	reason: HandoffReason | null;
	assignee: AssigneeFilter;
	overdue: boolean;
	sort: ListSort;
	now: Date;
	limit: number;
}

/** The list for one staff member: handoffs in their scope, filtered and sorted, with the household's NHI number and payer name. */
export async function listHandoffs(db: Db, f: ListFilter) {
	const state =
		f.state === 'open' ? db`ho.status in ('new', 'in_progress')` : f.state === 'all' ? db`true` : db`ho.status = ${f.state}`;
	const reason = f.reason ? db`ho.reason = ${f.reason}` : db`true`;
	const assignee = f.assignee === 'unassigned' ? db`ho.assigned_to is null` : f.assignee === 'mine' ? db`ho.assigned_to = ${f.userId}` : db`true`;
	const overdue = f.overdue
		? db`ho.status in ('new', 'in_progress') and ho.first_contact_at is null and ho.due_at < ${f.now}`
		: db`true`;
	// age: oldest first; due: soonest (most overdue) first
	const order = f.sort === 'due' ? db`ho.due_at asc nulls last, ho.id` : db`ho.created_at asc, ho.id`;
	return db<(HandoffRow & { nhiNumber: string; payerName: string | null; payerKana: string | null })[]>`
		select ${columns(db)}, h.nhi_number,
		  (select p.name from persons p where p.household_id = h.id
		   order by (p.resident_number = h.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id limit 1) as payer_name,
		  (select p.name_kana from persons p where p.household_id = h.id
		   order by (p.resident_number = h.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id limit 1) as payer_kana
		from handoffs ho join households h on h.id = ho.household_id ${joins(db)}
		where ${inScope(db, f.userId)} and ${state} and ${reason} and ${assignee} and ${overdue}
		order by ${order}
		limit ${f.limit}`;
}

/** One handoff in this user's scope (null when it does not exist or is not theirs to see). */
export async function handoffInScope(db: Db, id: number, userId: number, opts: { lock?: boolean } = {}): Promise<HandoffRow | null> {
	if (opts.lock) {
		// lock the row alone (outer joins cannot be locked), then read it with its names
		const [locked] = await db<{ id: number }[]>`select id from handoffs ho where ho.id = ${id} and ${inScope(db, userId)} for update`;
		if (!locked) return null;
	}
	const [r] = await db<HandoffRow[]>`select ${columns(db)} from handoffs ho ${joins(db)} where ho.id = ${id} and ${inScope(db, userId)}`;
	return r ?? null;
}

/** Whether a handoff exists at all (to tell "not yours" from "gone" in a refusal's log). */
export async function handoffExists(db: Db, id: number): Promise<{ householdId: number } | null> {
	const [r] = await db<{ householdId: number }[]>`select household_id from handoffs where id = ${id}`;
	return r ?? null;
}

export async function history(db: Db, handoffId: number) {
	return db<{ id: number; at: Date; userName: string | null; kind: string; fromStatus: string | null; toStatus: string | null; assignedToName: string | null; note: string | null }[]>`
		select e.id, e.at, u.display_name as user_name, e.kind, e.from_status, e.to_status, a.display_name as assigned_to_name, e.note
		from handoff_events e left join users u on u.id = e.user_id left join users a on a.id = e.assigned_to
		where e.handoff_id = ${handoffId} order by e.at, e.id`;
}

/** The operator's record of the call that made the handoff. */
export async function callRecord(db: Db, callId: number) {
	const [c] = await db<
		{ id: number; startedAt: Date; recordedAt: Date; outcomeCode: string; labelJa: string; labelEn: string; party: string; direction: string; note: string | null; operator: string; dialedNumber: string | null }[]
	>`
		select c.id, c.started_at, c.recorded_at, c.outcome_code, o.label_ja, o.label_en, c.party, c.direction, c.note, u.display_name as operator, c.dialed_number
		from calls c join outcome_codes o on o.code = c.outcome_code join users u on u.id = c.operator_id
		where c.id = ${callId}`;
	return c ?? null;
}

/** Staff members a handoff may be assigned to. */
export async function staffMembers(db: Db) {
	return db<{ id: number; displayName: string; loginId: string }[]>`
		select id, display_name, login_id from users where role = 'staff' and disabled_at is null order by display_name, id`;
}

export async function isActiveStaff(db: Db, userId: number): Promise<boolean> {
	const [r] = await db<{ id: number }[]>`select id from users where id = ${userId} and role = 'staff' and disabled_at is null`;
	return r !== undefined;
}

/** Change a handoff if it is still at `version`: returns the new version, or null when someone changed it meanwhile. */
export async function update(
	db: Db,
	id: number,
	version: number,
	set: {
		status?: HandoffState;
		assignedTo?: number | null;
		assignedBy?: number;
		resolutionCode?: string;
		resolutionText?: string | null;
		resumesCalls?: boolean;
		instruction?: string;
		closedBy?: number;
	}
): Promise<number | null> {
	const assigning = 'assignedTo' in set;
	const closing = set.status === 'resolved' || set.status === 'returned';
	const [r] = await db<{ version: number }[]>`
		update handoffs set
		  status = coalesce(${set.status ?? null}, status),
		  assigned_to = case when ${assigning} then ${set.assignedTo ?? null}::bigint else assigned_to end,
		  assigned_at = case when ${assigning} then (case when ${set.assignedTo ?? null}::bigint is null then null else now() end) else assigned_at end,
		  assigned_by = case when ${assigning} then ${set.assignedBy ?? null}::bigint else assigned_by end,
		  resolution_code = coalesce(${set.resolutionCode ?? null}, resolution_code),
		  resolution_text = coalesce(${set.resolutionText ?? null}, resolution_text),
		  resumes_calls = coalesce(${set.resumesCalls ?? null}, resumes_calls),
		  instruction = coalesce(${set.instruction ?? null}, instruction),
		  closed_at = case when ${closing} then now() else closed_at end,
		  closed_by = case when ${closing} then ${set.closedBy ?? null}::bigint else closed_by end,
		  version = version + 1
		where id = ${id} and version = ${version}
		returning version`;
	return r?.version ?? null;
}

/** The first contact with the resident (a note marked "contacted"): stops the SLA clock. */
export async function markContacted(db: Db, id: number): Promise<void> {
	await db`update handoffs set first_contact_at = coalesce(first_contact_at, now()) where id = ${id}`;
}

/** Open handoffs' figures for the summary (no personal data: reason, state, times). */
export async function openFigures(db: Db) {
	return db<{ reason: HandoffReason; status: HandoffState; createdAt: Date; dueAt: Date | null; firstContactAt: Date | null }[]>`
		select reason, status, created_at, due_at, first_contact_at from handoffs where status in ('new', 'in_progress')`;
}

/** The copy of a returned handoff's instruction that operators read (handoff_instructions: never the handoffs table). */
export async function insertInstruction(
	db: Db,
	i: { householdId: number; handoffId: number; reason: HandoffReason; instruction: string; notBefore: string | null; returnedBy: number }
): Promise<void> {
	await db`
		insert into handoff_instructions (household_id, handoff_id, reason, instruction, not_before, returned_by)
		values (${i.householdId}, ${i.handoffId}, ${i.reason}, ${i.instruction}, ${i.notBefore}::date, ${i.returnedBy})`;
}

/**
 * The staff's instruction operators see on the household: of the latest handoff returned to the center, while no
 * answered call has been recorded on the household since it was returned (the instruction has been acted on).
 * Reads handoff_instructions and calls only (an operator's read never touches the handoffs table).
 */
export async function openInstruction(db: Db, householdId: number) {
	const [r] = await db<{ handoffId: number; reason: HandoffReason; instruction: string; notBefore: string | null; returnedAt: Date; returnedBy: string | null }[]>`
		select i.handoff_id, i.reason, i.instruction, to_char(i.not_before, 'YYYY-MM-DD') as not_before, i.returned_at, u.display_name as returned_by
		from handoff_instructions i left join users u on u.id = i.returned_by
		where i.household_id = ${householdId}
		  and not exists (
		    select 1 from calls c join outcome_codes o on o.code = c.outcome_code
		    where c.household_id = i.household_id and c.recorded_at > i.returned_at and o.answered)
		order by i.returned_at desc, i.id desc limit 1`;
	return r ?? null;
}
